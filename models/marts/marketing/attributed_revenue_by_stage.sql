with

fct_attribution_credits as (

    select * from {{ ref('fct_attribution_credits') }}

),

int_attribution_touches as (

    select * from {{ ref('int_attribution_touches') }}

),

fct_funnel as (

    select * from {{ ref('fct_funnel') }}

),

int_funnel_milestones as (

    select * from {{ ref('int_funnel_milestones') }}

),

int_marketing_entity_payments as (

    select * from {{ ref('int_marketing_entity_payments') }}

),

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

list_attribution_models as (

    {% for attribution_model in attribution_models() -%}
    select '{{ attribution_model }}' as attribution_model
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}

),

sum_attributed as (

    select
        attribution_model,
        stage_key,
        milestone_month,
        channel,
        touch_source,
        touch_medium,
        touch_campaign,
        keyword,
        sum(credit) as attributed_conversions,
        count(*) as credited_touch_count,
        sum(coalesce(credited_won_amount, 0)) as attributed_won_revenue,
        sum(coalesce(credited_collected_amount, 0)) as attributed_collected_payments

    from fct_attribution_credits
    group by
        attribution_model,
        stage_key,
        milestone_month,
        channel,
        touch_source,
        touch_medium,
        touch_campaign,
        keyword

),

list_credited_milestones as (

    -- one row per touched milestone: its first touch (cheaper than a distinct over the credits)
    select
        funnel_entity_type,
        funnel_entity_id,
        stage_key

    from int_attribution_touches
    where touch_position = 1

),

find_untouched_milestones as (

    select
        int_funnel_milestones.funnel_entity_type,
        int_funnel_milestones.funnel_entity_id,
        int_funnel_milestones.stage_key,
        cast({{ dbt.date_trunc('month', to_reporting_date('int_funnel_milestones.reached_at')) }} as date)
            as milestone_month

    from int_funnel_milestones
    left join list_credited_milestones
        on int_funnel_milestones.funnel_entity_type = list_credited_milestones.funnel_entity_type
        and int_funnel_milestones.funnel_entity_id = list_credited_milestones.funnel_entity_id
        and int_funnel_milestones.stage_key = list_credited_milestones.stage_key
    where list_credited_milestones.stage_key is null

),

sum_unattributed as (

    select
        list_attribution_models.attribution_model,
        find_untouched_milestones.stage_key,
        find_untouched_milestones.milestone_month,
        'unattributed' as channel,
        cast(null as {{ dbt.type_string() }}) as touch_source,
        cast(null as {{ dbt.type_string() }}) as touch_medium,
        cast(null as {{ dbt.type_string() }}) as touch_campaign,
        cast(null as {{ dbt.type_string() }}) as keyword,
        cast(count(*) as decimal(38, 12)) as attributed_conversions,
        0 as credited_touch_count,
        sum(coalesce(fct_funnel.won_amount_reporting, 0)) as attributed_won_revenue,
        sum(coalesce(int_marketing_entity_payments.collected_amount_reporting, 0)) as attributed_collected_payments

    from find_untouched_milestones
    cross join list_attribution_models
    left join fct_funnel
        on find_untouched_milestones.funnel_entity_type = fct_funnel.funnel_entity_type
        and find_untouched_milestones.funnel_entity_id = fct_funnel.funnel_entity_id
    left join int_marketing_entity_payments
        on find_untouched_milestones.funnel_entity_type = int_marketing_entity_payments.funnel_entity_type
        and find_untouched_milestones.funnel_entity_id = int_marketing_entity_payments.funnel_entity_id
    group by
        list_attribution_models.attribution_model,
        find_untouched_milestones.stage_key,
        find_untouched_milestones.milestone_month

),

union_rows as (

    select * from sum_attributed

    union all

    select * from sum_unattributed

),

finalise as (

    select

        ----------  ids
        {{ surrogate_key([
            'union_rows.attribution_model',
            'union_rows.stage_key',
            'union_rows.milestone_month',
            'union_rows.channel',
            'union_rows.touch_source',
            'union_rows.touch_medium',
            'union_rows.touch_campaign',
            'union_rows.keyword',
        ]) }} as attributed_revenue_id,

        ---------- text
        union_rows.attribution_model,
        union_rows.stage_key,
        union_rows.channel,
        union_rows.touch_source,
        union_rows.touch_medium,
        union_rows.touch_campaign,
        union_rows.keyword,

        ---------- numerics
        funnel_stages.stage_order,
        union_rows.attributed_conversions,
        union_rows.credited_touch_count,
        cast(union_rows.attributed_won_revenue as decimal(38, 9)) as attributed_won_revenue,
        cast(union_rows.attributed_collected_payments as decimal(38, 9)) as attributed_collected_payments,

        ---------- booleans
        union_rows.channel = 'unattributed' as is_unattributed,

        ---------- dates
        union_rows.milestone_month

    from union_rows
    left join funnel_stages
        on union_rows.stage_key = funnel_stages.stage_key

)

select * from finalise
