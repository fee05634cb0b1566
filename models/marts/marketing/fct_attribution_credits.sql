{#- Credits are decimal(38, 12). Under linear and position-based the last touch takes
    1 - (the sum of the other touches' rounded credits), so the credits of every entity,
    milestone and model add up to exactly 1 in decimal arithmetic (credits_sum_to_one). -#}
{%- set credit_type = 'decimal(38, 12)' -%}
{#- position-based (40/20/40): 1 touch takes all, 2 touches half each, else 40 % to the first,
    40 % to the last and 20 % split evenly over the touches between (n = touch_count). -#}
{%- set position_based_credit -%}
case
            when touch_count = 1 then 1.0
            when touch_count = 2 then 0.5
            when touch_position = 1 or touch_position = touch_count then 0.4
            else 0.2 / (touch_count - 2)
        end
{%- endset -%}
{#- Per attribution model: which touches get credit, and their credit before rounding. -#}
{%- set credit_rules = {
    'first_touch': ('is_first_touch', '1.0'),
    'last_touch': ('is_last_touch', '1.0'),
    'last_non_direct_touch': ('is_last_non_direct_touch', '1.0'),
    'linear': ('true', '1.0 / touch_count'),
    'position_based': ('true', position_based_credit),
} -%}

with

int_attribution_touches as (

    select * from {{ ref('int_attribution_touches') }}

),

fct_funnel as (

    select * from {{ ref('fct_funnel') }}

),

int_marketing_collected_payments as (

    select * from {{ ref('int_marketing_collected_payments') }}

),

weigh_touches as (

    {% for attribution_model in attribution_models() -%}
    {%- if attribution_model not in credit_rules -%}
        {{ exceptions.raise_compiler_error("no credit rule for attribution model " ~ attribution_model) }}
    {%- endif -%}
    select
        int_attribution_touches.*,
        '{{ attribution_model }}' as attribution_model,
        {{ credit_rules[attribution_model][1] }} as raw_credit
    from int_attribution_touches
    where {{ credit_rules[attribution_model][0] }}
    {% if not loop.last %}
    union all

    {% endif -%}
    {%- endfor %}

),

round_credits as (

    select
        *,
        cast(raw_credit as {{ credit_type }}) as rounded_credit

    from weigh_touches

),

close_credits_to_one as (

    select
        *,
        case
            when touch_position = max(touch_position) over (
                partition by funnel_entity_type, funnel_entity_id, stage_key, attribution_model
            )
                then cast(1 as {{ credit_type }}) - (
                    sum(rounded_credit) over (
                        partition by funnel_entity_type, funnel_entity_id, stage_key, attribution_model
                    )
                    - rounded_credit
                )
            else rounded_credit
        end as credit

    from round_credits

),

sum_collected_payments as (

    select
        funnel_entity_type,
        funnel_entity_id,
        sum(collected_amount_reporting) as collected_amount_reporting

    from int_marketing_collected_payments
    where is_linked_to_funnel
    group by funnel_entity_type, funnel_entity_id

),

join_entity_revenue as (

    select

        ----------  ids
        {{ surrogate_key([
            'close_credits_to_one.funnel_entity_type',
            'close_credits_to_one.funnel_entity_id',
            'close_credits_to_one.stage_key',
            'close_credits_to_one.attribution_model',
            'close_credits_to_one.touchpoint_id',
        ]) }} as attribution_credit_id,
        close_credits_to_one.funnel_entity_type,
        close_credits_to_one.funnel_entity_id,
        close_credits_to_one.touchpoint_id,

        ---------- text
        close_credits_to_one.stage_key,
        close_credits_to_one.attribution_model,
        close_credits_to_one.channel,
        close_credits_to_one.touch_source,
        close_credits_to_one.touch_medium,
        close_credits_to_one.touch_campaign,
        close_credits_to_one.keyword,
        close_credits_to_one.touch_type,

        ---------- numerics
        close_credits_to_one.stage_order,
        close_credits_to_one.touch_position,
        close_credits_to_one.touch_count,
        cast(close_credits_to_one.credit as {{ credit_type }}) as credit,
        fct_funnel.won_amount_reporting,
        cast(close_credits_to_one.credit * fct_funnel.won_amount_reporting as decimal(38, 9))
            as credited_won_amount,
        sum_collected_payments.collected_amount_reporting,
        cast(close_credits_to_one.credit * sum_collected_payments.collected_amount_reporting as decimal(38, 9))
            as credited_collected_amount,

        ---------- booleans
        close_credits_to_one.is_direct,

        ---------- dates
        {{ to_reporting_date('close_credits_to_one.reached_at') }} as milestone_date,
        cast({{ dbt.date_trunc('month', to_reporting_date('close_credits_to_one.reached_at')) }} as date)
            as milestone_month,

        ---------- timestamps
        close_credits_to_one.occurred_at,
        close_credits_to_one.reached_at

    from close_credits_to_one
    left join fct_funnel
        on close_credits_to_one.funnel_entity_type = fct_funnel.funnel_entity_type
        and close_credits_to_one.funnel_entity_id = fct_funnel.funnel_entity_id
    left join sum_collected_payments
        on close_credits_to_one.funnel_entity_type = sum_collected_payments.funnel_entity_type
        and close_credits_to_one.funnel_entity_id = sum_collected_payments.funnel_entity_id

)

select * from join_entity_revenue
