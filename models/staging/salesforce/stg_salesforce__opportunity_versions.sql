with

base_salesforce__opportunities as (

    select * from {{ ref('base_salesforce__opportunities') }}

),

keep_distinct_versions as (

    {{ latest_version('base_salesforce__opportunities', partition_by=['deal_id', 'updated_at']) }}

)

select
    deal_id,
    account_id,
    owner_id,
    source_system,
    stage_label,
    currency,
    deal_name,
    amount,
    probability,
    is_closed,
    is_won,
    is_deleted,
    expected_close_date,
    created_at,
    updated_at,
    updated_at as valid_from

from keep_distinct_versions
