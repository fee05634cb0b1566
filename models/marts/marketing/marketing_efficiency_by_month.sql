{#- The funnel milestones counted per month (var marketing_counted_stage_keys): one
    reached_<stage>_at column of fct_funnel each. -#}
{%- set counted_stages = marketing_counted_stage_keys() -%}
{%- set money_measures = ['spend_amount_reporting', 'attributed_won_revenue', 'attributed_collected_payments'] -%}
{%- set keys = ['channel', 'utm_source', 'utm_medium', 'utm_campaign'] -%}
{#- Every additive measure, and the activity CTEs that provide each (the others give 0). -#}
{%- set provided = {
    'list_spend': ['spend_amount_reporting', 'impressions', 'clicks'],
    'list_funnel_milestones': [],
    'list_new_paying_customers': ['new_paying_customer_count'],
    'list_attributed_won_revenue': ['attributed_won_revenue'],
    'list_attributed_collected_payments': ['attributed_collected_payments'],
} -%}
{%- set measures = ['spend_amount_reporting', 'impressions', 'clicks'] -%}
{%- for stage_key in counted_stages -%}
{%- do measures.append(stage_key ~ '_count') -%}
{%- do provided['list_funnel_milestones'].append(stage_key ~ '_count') -%}
{%- endfor -%}
{%- do measures.extend(['new_paying_customer_count', 'attributed_won_revenue', 'attributed_collected_payments']) -%}

with

int_marketing_spend as (

    select * from {{ ref('int_marketing_spend') }}

),

fct_funnel as (

    select * from {{ ref('fct_funnel') }}

),

fct_attribution_credits as (

    select * from {{ ref('fct_attribution_credits') }}

),

attributed_revenue_by_stage as (

    select * from {{ ref('attributed_revenue_by_stage') }}

),

int_marketing_collected_payments as (

    select * from {{ ref('int_marketing_collected_payments') }}

),

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

list_spend as (

    select
        spend_month as report_month,
        channel,
        utm_source,
        utm_medium,
        utm_campaign,
        spend_amount_reporting,
        impressions,
        clicks

    from int_marketing_spend

),

list_funnel_milestones as (

    {% for stage_key in counted_stages -%}
    select
        {%- for counted_stage in counted_stages %}
        {{ 1 if counted_stage == stage_key else 0 }} as {{ counted_stage }}_count,
        {%- endfor %}
        cast({{ dbt.date_trunc('month', to_reporting_date('reached_' ~ stage_key ~ '_at')) }} as date) as report_month,
        channel,
        acquisition_source as utm_source,
        acquisition_medium as utm_medium,
        acquisition_campaign as utm_campaign
    from fct_funnel
    where reached_{{ stage_key }}_at is not null
    {% if not loop.last %}
    union all

    {% endif -%}
    {%- endfor %}

),

list_new_paying_customers as (

    select
        int_marketing_collected_payments.paid_month as report_month,
        coalesce(fct_funnel.channel, 'unattributed') as channel,
        fct_funnel.acquisition_source as utm_source,
        fct_funnel.acquisition_medium as utm_medium,
        fct_funnel.acquisition_campaign as utm_campaign,
        1 as new_paying_customer_count

    from int_marketing_collected_payments
    left join fct_funnel
        on int_marketing_collected_payments.funnel_entity_type = fct_funnel.funnel_entity_type
        and int_marketing_collected_payments.funnel_entity_id = fct_funnel.funnel_entity_id
    where int_marketing_collected_payments.is_first_customer_payment

),

list_attributed_won_revenue as (

    select
        attributed_revenue_by_stage.milestone_month as report_month,
        attributed_revenue_by_stage.channel,
        attributed_revenue_by_stage.touch_source as utm_source,
        attributed_revenue_by_stage.touch_medium as utm_medium,
        attributed_revenue_by_stage.touch_campaign as utm_campaign,
        attributed_revenue_by_stage.attributed_won_revenue

    from attributed_revenue_by_stage
    inner join funnel_stages
        on attributed_revenue_by_stage.stage_key = funnel_stages.stage_key
    where funnel_stages.is_won
        and attributed_revenue_by_stage.attribution_model = '{{ roi_attribution_model() }}'

),

select_won_credits as (

    select fct_attribution_credits.*

    from fct_attribution_credits
    inner join funnel_stages
        on fct_attribution_credits.stage_key = funnel_stages.stage_key
    where funnel_stages.is_won
        and fct_attribution_credits.attribution_model = '{{ roi_attribution_model() }}'

),

list_attributed_collected_payments as (

    select
        int_marketing_collected_payments.paid_month as report_month,
        coalesce(select_won_credits.channel, 'unattributed') as channel,
        select_won_credits.touch_source as utm_source,
        select_won_credits.touch_medium as utm_medium,
        select_won_credits.touch_campaign as utm_campaign,
        cast(
            {{ multiply_amount_by_credit(
                'int_marketing_collected_payments.collected_amount_reporting',
                'coalesce(select_won_credits.credit, 1)',
            ) }}
            as decimal(38, 9)
        ) as attributed_collected_payments

    from int_marketing_collected_payments
    left join select_won_credits
        on int_marketing_collected_payments.funnel_entity_type = select_won_credits.funnel_entity_type
        and int_marketing_collected_payments.funnel_entity_id = select_won_credits.funnel_entity_id

),

union_activity as (

    {% for activity_cte, provided_measures in provided.items() -%}
    select
        {%- for measure in measures %}
        {{ measure if measure in provided_measures else 0 }} as {{ measure }},
        {%- endfor %}
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        report_month
    from {{ activity_cte }}
    {% if not loop.last %}
    union all

    {% endif -%}
    {%- endfor %}

),

sum_activity as (

    select
        {{ surrogate_key(keys) }} as efficiency_key,
        {%- for measure in measures %}
        cast(sum({{ measure }}) as {{ 'decimal(38, 9)' if measure in money_measures else dbt.type_bigint() }})
            as {{ measure }},
        {%- endfor %}
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        report_month

    from union_activity
    group by report_month, {{ keys | join(', ') }}

),

find_month_range as (

    select
        min(report_month) as first_month,
        max(report_month) as last_month

    from sum_activity

),

{# A key active in month m also gets a row in m + 1 (all zeros when nothing happened then),
    so a campaign that stopped shows the drop in its incremental ROMI. -#}
list_key_months as (

    select
        efficiency_key,
        report_month,
        {{ keys | join(', ') }}

    from sum_activity

    union

    select
        sum_activity.efficiency_key,
        cast({{ dbt.dateadd('month', 1, 'sum_activity.report_month') }} as date) as report_month,
        {% for key in keys %}sum_activity.{{ key }}{{ ", " if not loop.last }}{% endfor %}

    from sum_activity
    cross join find_month_range
    where sum_activity.report_month < find_month_range.last_month

),

compare_with_previous_month as (

    select
        list_key_months.efficiency_key,
        list_key_months.report_month,
        {%- for key in keys %}
        list_key_months.{{ key }},
        {%- endfor %}
        {%- for measure in measures %}
        coalesce(current_month.{{ measure }}, 0) as {{ measure }},
        {%- endfor %}
        coalesce(previous_month.spend_amount_reporting, 0) as previous_spend_amount_reporting,
        coalesce(previous_month.attributed_won_revenue, 0) as previous_attributed_won_revenue,
        list_key_months.report_month > find_month_range.first_month as has_previous_month

    from list_key_months
    cross join find_month_range
    left join sum_activity as current_month
        on list_key_months.efficiency_key = current_month.efficiency_key
        and list_key_months.report_month = current_month.report_month
    left join sum_activity as previous_month
        on list_key_months.efficiency_key = previous_month.efficiency_key
        and cast({{ dbt.dateadd('month', -1, 'list_key_months.report_month') }} as date) = previous_month.report_month

),

compute_metrics as (

    select

        ----------  ids
        {{ surrogate_key(['efficiency_key', 'report_month']) }} as marketing_efficiency_id,

        ---------- text
        {%- for key in keys %}
        {{ key }},
        {%- endfor %}
        '{{ roi_attribution_model() }}' as attribution_model,

        ---------- spend, funnel volumes, customers, attributed revenue
        {%- for measure in measures %}
        {{ measure }},
        {%- endfor %}
        previous_spend_amount_reporting,
        previous_attributed_won_revenue,

        ---------- cost per stage and per customer
        {%- for stage_key in counted_stages %}
        {{ safe_divide('spend_amount_reporting', stage_key ~ '_count') }} as cost_per_{{ stage_key }},
        {%- endfor %}
        {{ safe_divide('spend_amount_reporting', 'new_paying_customer_count') }} as cac_marketing_only,

        ---------- return
        {{ safe_divide('attributed_won_revenue - spend_amount_reporting', 'spend_amount_reporting') }} as roi,
        {{ safe_divide('attributed_collected_payments - spend_amount_reporting', 'spend_amount_reporting') }}
            as roi_on_collected_payments,
        {#- an unchanged revenue gives 0, never the floating-point -0 of 0 / a negative number -#}
        case
            when not has_previous_month or spend_amount_reporting = previous_spend_amount_reporting
                then null
            when attributed_won_revenue = previous_attributed_won_revenue
                then 0.0
            else (attributed_won_revenue - previous_attributed_won_revenue)
                / (spend_amount_reporting - previous_spend_amount_reporting)
        end as incremental_romi,

        ---------- booleans
        has_previous_month,

        ---------- dates
        report_month

    from compare_with_previous_month

)

select * from compute_metrics
