-- marketing_efficiency_by_month must lose nothing: its spend adds up to int_marketing_spend,
-- its lead and won counts to the funnel entities that reached those stages, its new paying
-- customers to the customers with a collected invoice, its collected payments to all collected
-- money, and its attributed won revenue to the won revenue of fct_funnel. Returns one row per
-- measure that does not reconcile.

with

marketing_efficiency_by_month as (

    select * from {{ ref('marketing_efficiency_by_month') }}

),

int_marketing_spend as (

    select * from {{ ref('int_marketing_spend') }}

),

fct_funnel as (

    select * from {{ ref('fct_funnel') }}

),

int_marketing_collected_payments as (

    select * from {{ ref('int_marketing_collected_payments') }}

),

sum_mart as (

    select
        sum(spend_amount_reporting) as spend_amount_reporting,
        sum(lead_count) as lead_count,
        sum(won_count) as won_count,
        sum(new_paying_customer_count) as new_paying_customer_count,
        sum(attributed_collected_payments) as attributed_collected_payments,
        sum(attributed_won_revenue) as attributed_won_revenue

    from marketing_efficiency_by_month

),

sum_spend as (

    select sum(spend_amount_reporting) as spend_amount_reporting

    from int_marketing_spend

),

sum_funnel as (

    select
        sum(case when reached_lead_at is not null then 1 else 0 end) as lead_count,
        sum(case when reached_won_at is not null then 1 else 0 end) as won_count,
        sum(case when reached_won_at is not null then won_amount_reporting end) as attributed_won_revenue

    from fct_funnel

),

sum_payments as (

    select
        count(distinct customer_id) as new_paying_customer_count,
        sum(collected_amount_reporting) as attributed_collected_payments

    from int_marketing_collected_payments

),

sum_sources as (

    select
        sum_spend.spend_amount_reporting,
        sum_funnel.lead_count,
        sum_funnel.won_count,
        sum_payments.new_paying_customer_count,
        sum_payments.attributed_collected_payments,
        sum_funnel.attributed_won_revenue

    from sum_spend
    cross join sum_funnel
    cross join sum_payments

),

compare_measures as (

    {% for measure, tolerance in [
        ('spend_amount_reporting', '0.0001'),
        ('lead_count', '0'),
        ('won_count', '0'),
        ('new_paying_customer_count', '0'),
        ('attributed_collected_payments', '0.0001'),
        ('attributed_won_revenue', '0.0001'),
    ] -%}
    select
        '{{ measure }}' as measure,
        cast(sum_mart.{{ measure }} as {{ dbt.type_numeric() }}) as mart_total,
        cast(sum_sources.{{ measure }} as {{ dbt.type_numeric() }}) as source_total
    from sum_mart
    cross join sum_sources
    where abs(coalesce(sum_mart.{{ measure }}, 0) - coalesce(sum_sources.{{ measure }}, 0)) > {{ tolerance }}
    {% if not loop.last %}
    union all

    {% endif -%}
    {%- endfor %}

)

select * from compare_measures
