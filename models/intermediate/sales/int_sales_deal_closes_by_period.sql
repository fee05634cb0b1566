{#- Every closed deal once per period grain (sales_period_grains: month, quarter), in the
    period its close date falls in: the fan-out that win_rate_by_period and
    sales_cycle_by_period aggregate. -#}

with

int_sales_deal_closes as (

    select * from {{ ref('int_sales_deal_closes') }}

),

assign_periods as (

    {%- for period_grain in sales_period_grains() %}

    select
        '{{ period_grain }}' as period_grain,
        {{ period_start(period_grain, 'closed_date') }} as period_start_date,
        {{ period_end(period_grain, period_start(period_grain, 'closed_date')) }} as period_end_date,
        int_sales_deal_closes.*

    from int_sales_deal_closes
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)

select * from assign_periods
