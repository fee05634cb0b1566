with

base_crm__deals as (

    select * from {{ ref('base_crm__deals') }}

),

keep_distinct_versions as (

    {{ latest_version('base_crm__deals', partition_by=['deal_id', 'updated_at']) }}

),

select_columns as (

    select
        deal_id,
        lead_id,
        account_id,
        owner_id,
        source_system,
        stage_label,
        currency,
        deal_name,
        account_name,
        account_domain,
        amount,
        is_deleted,
        expected_close_date,
        created_at,
        updated_at,
        updated_at as valid_from

    from keep_distinct_versions

),

mapped as (

    {{ map_stage_labels('select_columns', 'deal', label_column='stage_label') }}

)

select * from mapped
