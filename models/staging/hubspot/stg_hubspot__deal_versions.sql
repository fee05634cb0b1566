with

base_hubspot__deals as (

    select * from {{ ref('base_hubspot__deals') }}

),

keep_distinct_versions as (

    {{ latest_version('base_hubspot__deals', partition_by=['deal_id', 'updated_at']) }}

)

select
    deal_id,
    hubspot_deal_id,
    owner_id,
    pipeline_id,
    stage_id,
    source_system,
    currency,
    deal_name,
    amount,
    is_deleted,
    expected_close_date,
    created_at,
    updated_at,
    updated_at as valid_from

from keep_distinct_versions
