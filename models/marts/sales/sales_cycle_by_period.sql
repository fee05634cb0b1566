with

int_sales_deal_closes_by_period as (

    select * from {{ ref('int_sales_deal_closes_by_period') }}

),

summarize_won_deals as (

    select
        period_grain,
        period_start_date,
        period_end_date,
        owner_id,
        owner_name,
        owner_team,
        channel,
        count(*) as won_deal_count,
        {{ safe_divide('sum(sales_cycle_seconds)', '86400.0') }} as total_sales_cycle_days,
        count(lead_to_won_seconds) as won_deal_with_lead_count,
        {{ safe_divide('sum(lead_to_won_seconds)', '86400.0') }} as total_lead_to_won_days,
        sum(won_amount_reporting) as won_amount_reporting

    from int_sales_deal_closes_by_period
    where is_won
    group by
        period_grain,
        period_start_date,
        period_end_date,
        owner_id,
        owner_name,
        owner_team,
        channel

),

compute_averages as (

    select
        *,
        {{ safe_divide('total_sales_cycle_days', 'won_deal_count') }} as average_sales_cycle_days,
        {{ safe_divide('total_lead_to_won_days', 'won_deal_with_lead_count') }}
            as average_lead_to_won_days,
        {{ safe_divide('won_amount_reporting', 'won_deal_count') }} as average_deal_size_reporting

    from summarize_won_deals

)

select * from compute_averages
