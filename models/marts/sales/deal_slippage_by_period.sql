with

int_sales_expected_closes as (

    select * from {{ ref('int_sales_expected_closes') }}

),

stg_crm__owners as (

    select * from {{ ref('int_conformed__owners') }}

),

summarize_expected_deals as (

    select
        period_grain,
        period_start_date,
        period_end_date,
        owner_id,
        count(*) as expected_deal_count,
        sum(case when is_won_by_end then 1 else 0 end) as won_by_end_count,
        sum(case when is_lost_by_end then 1 else 0 end) as lost_by_end_count,
        sum(case when is_slipped then 1 else 0 end) as slipped_deal_count,
        sum(case when is_deleted_by_end then 1 else 0 end) as deleted_by_end_count

    from int_sales_expected_closes
    group by
        period_grain,
        period_start_date,
        period_end_date,
        owner_id

),

compute_slippage as (

    select
        summarize_expected_deals.period_grain,
        summarize_expected_deals.period_start_date,
        summarize_expected_deals.period_end_date,
        summarize_expected_deals.owner_id,
        stg_crm__owners.owner_name,
        stg_crm__owners.team as owner_team,
        summarize_expected_deals.expected_deal_count,
        summarize_expected_deals.won_by_end_count,
        summarize_expected_deals.lost_by_end_count,
        summarize_expected_deals.slipped_deal_count,
        summarize_expected_deals.deleted_by_end_count,
        {{ safe_divide('summarize_expected_deals.slipped_deal_count * 100', 'summarize_expected_deals.expected_deal_count') }}
            as slippage_rate,
        summarize_expected_deals.period_end_date < {{ as_of_date() }} as is_period_complete,
        {{ as_of_date() }} as as_of_date

    from summarize_expected_deals
    left join stg_crm__owners
        on summarize_expected_deals.owner_id = stg_crm__owners.owner_id

)

select * from compute_slippage
