with

int_sales_deal_closes_by_period as (

    select * from {{ ref('int_sales_deal_closes_by_period') }}

),

summarize_closed_deals as (

    select
        period_grain,
        period_start_date,
        period_end_date,
        owner_id,
        owner_name,
        owner_team,
        channel,
        sum(case when is_won then 1 else 0 end) as won_deal_count,
        sum(case when is_lost then 1 else 0 end) as lost_deal_count,
        count(*) as closed_deal_count,
        coalesce(sum(won_amount_reporting), 0) as won_amount_reporting,
        coalesce(sum(lost_amount_reporting), 0) as lost_amount_reporting

    from int_sales_deal_closes_by_period
    group by
        period_grain,
        period_start_date,
        period_end_date,
        owner_id,
        owner_name,
        owner_team,
        channel

),

compute_win_rates as (

    select
        *,
        won_amount_reporting + lost_amount_reporting as closed_amount_reporting,
        {{ safe_divide('won_deal_count', 'won_deal_count + lost_deal_count') }} as win_rate_by_count,
        {{ safe_divide('won_amount_reporting', 'won_amount_reporting + lost_amount_reporting') }}
            as win_rate_by_amount

    from summarize_closed_deals

)

select * from compute_win_rates
