with

source as (

    {{ latest_version(
        source('crm', 'owners'),
        partition_by=normalize_text('owner_id', lowercase=false),
        order_by='updated_at desc nulls last',
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ redact_pii(normalize_text('owner_id', lowercase=false)) }} as owner_id,

        ---------- text
        {{ redact_pii(normalize_text('name', lowercase=false)) }} as owner_name,
        {{ redact_pii(normalize_text('team', lowercase=false)) }} as team

    from source

)

select * from renamed
