with

base_salesforce__opportunities as (

    select * from {{ ref('base_salesforce__opportunities') }}

),

keep_latest_versions as (

    {{ latest_version(
        'base_salesforce__opportunities', partition_by='deal_id', order_by='updated_at desc'
    ) }}

)

select
    deal_id,
    account_id,
    owner_id,
    source_system,
    stage_label,
    currency,
    deal_name,
    lead_source,
    campaign_id,
    amount,
    probability,
    is_closed,
    is_won,
    is_deleted,
    expected_close_date,
    created_at,
    updated_at

from keep_latest_versions
