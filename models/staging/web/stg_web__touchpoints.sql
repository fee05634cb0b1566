with

source as (

    {{ latest_version(
        source('web', 'touchpoints'),
        partition_by=normalize_text('touchpoint_id', lowercase=false),
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ normalize_text('touchpoint_id', lowercase=false) }} as touchpoint_id,
        {{ normalize_text('lead_id', lowercase=false) }} as lead_id,

        ---------- text
        {{ normalize_text('source') }} as touch_source,
        {{ normalize_text('medium') }} as touch_medium,
        {{ normalize_text('campaign') }} as touch_campaign,
        {{ normalize_text('keyword') }} as keyword,
        {{ normalize_text('touch_type') }} as touch_type,

        ---------- timestamps
        occurred_at

    from source

)

select * from renamed
