with

int_sales_deal_closes as (

    select * from {{ ref('int_sales_deal_closes') }}

),

assign_periods as (

    {%- for period_grain in ['month', 'quarter'] %}

    select
        '{{ period_grain }}' as period_grain,
        {{ sales_period_start(period_grain, 'closed_date') }} as period_start_date,
        {{ sales_period_end(period_grain, sales_period_start(period_grain, 'closed_date')) }} as period_end_date,
        int_sales_deal_closes.*

    from int_sales_deal_closes
    where is_won
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

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
        sum(sales_cycle_seconds) / 86400.0 as total_sales_cycle_days,
        count(lead_to_won_seconds) as won_deal_with_lead_count,
        sum(lead_to_won_seconds) / 86400.0 as total_lead_to_won_days,
        sum(won_amount_reporting) as won_amount_reporting

    from assign_periods
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
        summarize_won_deals.*,
        {{ sales_safe_divide('total_sales_cycle_days', 'won_deal_count') }} as average_sales_cycle_days,
        {{ sales_safe_divide('total_lead_to_won_days', 'won_deal_with_lead_count') }}
            as average_lead_to_won_days,
        {{ sales_safe_divide('won_amount_reporting', 'won_deal_count') }} as average_deal_size_reporting

    from summarize_won_deals

)

select * from compute_averages
