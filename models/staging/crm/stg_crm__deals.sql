with

source as (

    {{ latest_version(
        source('crm', 'deals'),
        partition_by=normalize_text('deal_id', lowercase=false),
        order_by='updated_at desc',
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ normalize_text('deal_id', lowercase=false) }} as deal_id,
        {{ normalize_text('lead_id', lowercase=false) }} as lead_id,
        {{ normalize_text('account_id', lowercase=false) }} as account_id,
        {{ normalize_text('owner_id', lowercase=false) }} as owner_id,

        ---------- text
        {{ crm_source_system() }} as source_system,
        {{ normalize_text('stage', lowercase=false) }} as stage_label,
        upper({{ normalize_text('currency', lowercase=false) }}) as currency,
        {{ normalize_text('deal_name', lowercase=false) }} as deal_name,
        {{ normalize_text('account_name', lowercase=false) }} as account_name,
        {{ normalize_domain('account_domain') }} as account_domain,

        ---------- numerics
        amount,

        ---------- booleans
        coalesce(is_deleted, false) as is_deleted,

        ---------- dates
        expected_close_date,

        ---------- timestamps
        created_at,
        updated_at

    from source

),

mapped as (

    {{ map_stage_labels('renamed', 'deal', label_column='stage_label') }}

)

select * from mapped
