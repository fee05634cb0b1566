{#- The milestone columns, one per ordered stage (var funnel_stage_keys, which must agree with
    seeds/funnel_stages.csv: assert_funnel_stage_keys_match_seed). Which stage counts as
    reached is computed from the seed's order. -#}
{%- set stage_keys = funnel_stage_keys() -%}

with

int_funnel_entities as (

    select * from {{ ref('int_funnel_entities') }}

),

int_funnel_milestones as (

    select * from {{ ref('int_funnel_milestones') }}

),

int_funnel_stage_events as (

    select * from {{ ref('int_funnel_stage_events') }}

),

int_stage_transitions as (

    select * from {{ ref('int_stage_transitions') }}

),

int_stage_spells as (

    select * from {{ ref('int_stage_spells') }}

),

int_deal_outcomes as (

    select * from {{ ref('int_deal_outcomes') }}

),

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

stg_crm__owners as (

    select * from {{ ref('int_conformed__owners') }}

),

pivot_milestones as (

    select
        funnel_entity_type,
        funnel_entity_id,
        {%- for stage_key in stage_keys %}
        min(case when stage_key = '{{ stage_key }}' then reached_at end) as reached_{{ stage_key }}_at,
        max(case when stage_key = '{{ stage_key }}' and is_implied then 1 else 0 end) = 1
            as is_{{ stage_key }}_implied,
        {%- endfor %}
        max(stage_order) as furthest_stage_order

    from int_funnel_milestones
    group by funnel_entity_type, funnel_entity_id

),

rank_deals as (

    select
        *,
        row_number() over (
            partition by funnel_entity_type, funnel_entity_id
            order by
                case when is_won then 1 when is_open then 2 else 3 end,
                current_stage_order desc nulls last,
                case when is_lost then current_stage_entered_at end desc nulls last,
                current_stage_entered_at nulls last,
                deal_id asc
        ) as deal_rank,
        row_number() over (
            partition by funnel_entity_type, funnel_entity_id
            order by created_at desc nulls last, deal_id desc
        ) as recency_rank

    from int_deal_outcomes

),

summarize_deals as (

    select
        funnel_entity_type,
        funnel_entity_id,
        count(*) as deal_count,
        sum(case when is_open then 1 else 0 end) as open_deal_count,
        sum(case when is_won then 1 else 0 end) as won_deal_count,
        sum(case when is_lost then 1 else 0 end) as lost_deal_count,
        sum(won_amount_reporting) as won_amount_reporting,
        max(case when deal_rank = 1 then deal_id end) as leading_deal_id,
        max(case when deal_rank = 1 then current_stage_key end) as leading_deal_stage_key,
        max(case when deal_rank = 1 then current_stage_entered_at end) as leading_deal_stage_entered_at,
        max(case when recency_rank = 1 then deal_id end) as latest_deal_id,
        max(case when recency_rank = 1 then owner_id end) as latest_deal_owner_id

    from rank_deals
    group by funnel_entity_type, funnel_entity_id

),

find_current_lead_spells as (

    select
        funnel_entity_type,
        funnel_entity_id,
        stage_key,
        entered_at

    from int_stage_spells
    where entity_type = 'lead'
        and is_current

),

summarize_transitions as (

    select
        funnel_entity_type,
        funnel_entity_id,
        max(changed_at) as last_stage_change_at,
        sum(case when is_entry then 0 else 1 end) as stage_change_count,
        sum(case when is_skip then 1 else 0 end) as skip_count,
        sum(case when is_regression then 1 else 0 end) as regression_count,
        sum(case when is_reopen then 1 else 0 end) as reopen_count

    from int_stage_transitions
    group by funnel_entity_type, funnel_entity_id

),

summarize_events as (

    select
        funnel_entity_type,
        funnel_entity_id,
        sum(case when is_stage_mapped then 0 else 1 end) as unmapped_stage_change_count,
        sum(case when is_before_entity_created then 1 else 0 end) as stage_change_before_created_count

    from int_funnel_stage_events
    group by funnel_entity_type, funnel_entity_id

),

join_facts as (

    select
        int_funnel_entities.funnel_entity_type,
        int_funnel_entities.funnel_entity_id,
        int_funnel_entities.lead_id,
        coalesce(int_funnel_entities.deal_id, summarize_deals.latest_deal_id) as latest_deal_id,
        summarize_deals.leading_deal_id,
        int_funnel_entities.owner_id,
        summarize_deals.latest_deal_owner_id as deal_owner_id,
        int_funnel_entities.source_system,
        int_funnel_entities.acquisition_source,
        int_funnel_entities.acquisition_medium,
        int_funnel_entities.acquisition_campaign,
        int_funnel_entities.channel,
        coalesce(
            summarize_deals.leading_deal_stage_key, find_current_lead_spells.stage_key
        ) as current_stage_key,
        coalesce(
            summarize_deals.leading_deal_stage_entered_at, find_current_lead_spells.entered_at
        ) as current_stage_entered_at,
        pivot_milestones.furthest_stage_order,
        coalesce(summarize_deals.deal_count, 0) as deal_count,
        coalesce(summarize_deals.open_deal_count, 0) as open_deal_count,
        coalesce(summarize_deals.won_deal_count, 0) as won_deal_count,
        coalesce(summarize_deals.lost_deal_count, 0) as lost_deal_count,
        coalesce(summarize_transitions.stage_change_count, 0) as stage_change_count,
        coalesce(summarize_transitions.skip_count, 0) as skip_count,
        coalesce(summarize_transitions.regression_count, 0) as regression_count,
        coalesce(summarize_transitions.reopen_count, 0) as reopen_count,
        coalesce(summarize_events.unmapped_stage_change_count, 0) as unmapped_stage_change_count,
        coalesce(summarize_events.stage_change_before_created_count, 0)
            as stage_change_before_created_count,
        summarize_deals.won_amount_reporting,
        int_funnel_entities.is_sales_sourced,
        {%- for stage_key in stage_keys %}
        coalesce(pivot_milestones.is_{{ stage_key }}_implied, false) as is_{{ stage_key }}_implied,
        {%- endfor %}
        int_funnel_entities.cohort_date,
        int_funnel_entities.cohort_week,
        int_funnel_entities.cohort_month,
        int_funnel_entities.created_at,
        {%- for stage_key in stage_keys %}
        pivot_milestones.reached_{{ stage_key }}_at,
        {%- endfor %}
        summarize_transitions.last_stage_change_at

    from int_funnel_entities
    left join pivot_milestones
        on int_funnel_entities.funnel_entity_type = pivot_milestones.funnel_entity_type
        and int_funnel_entities.funnel_entity_id = pivot_milestones.funnel_entity_id
    left join summarize_deals
        on int_funnel_entities.funnel_entity_type = summarize_deals.funnel_entity_type
        and int_funnel_entities.funnel_entity_id = summarize_deals.funnel_entity_id
    left join find_current_lead_spells
        on int_funnel_entities.funnel_entity_type = find_current_lead_spells.funnel_entity_type
        and int_funnel_entities.funnel_entity_id = find_current_lead_spells.funnel_entity_id
    left join summarize_transitions
        on int_funnel_entities.funnel_entity_type = summarize_transitions.funnel_entity_type
        and int_funnel_entities.funnel_entity_id = summarize_transitions.funnel_entity_id
    left join summarize_events
        on int_funnel_entities.funnel_entity_type = summarize_events.funnel_entity_type
        and int_funnel_entities.funnel_entity_id = summarize_events.funnel_entity_id

),

describe_stages as (

    select
        join_facts.*,
        furthest_stages.stage_key as furthest_stage_key,
        current_stages.stage_order as current_stage_order,
        coalesce(current_stages.is_won, false) as is_won,
        coalesce(current_stages.is_terminal and not current_stages.is_won, false) as is_lost,
        coalesce(not current_stages.is_terminal, false) as is_open

    from join_facts
    left join funnel_stages as furthest_stages
        on join_facts.furthest_stage_order = furthest_stages.stage_order
    left join funnel_stages as current_stages
        on join_facts.current_stage_key = current_stages.stage_key

),

add_outcomes as (

    select
        describe_stages.funnel_entity_type,
        describe_stages.funnel_entity_id,
        describe_stages.lead_id,
        describe_stages.latest_deal_id,
        describe_stages.leading_deal_id,
        describe_stages.owner_id,
        stg_crm__owners.owner_name,
        stg_crm__owners.team as owner_team,
        describe_stages.deal_owner_id,
        describe_stages.source_system,
        describe_stages.acquisition_source,
        describe_stages.acquisition_medium,
        describe_stages.acquisition_campaign,
        describe_stages.channel,
        describe_stages.current_stage_key,
        describe_stages.furthest_stage_key,
        describe_stages.current_stage_order,
        describe_stages.furthest_stage_order,
        describe_stages.deal_count,
        describe_stages.open_deal_count,
        describe_stages.won_deal_count,
        describe_stages.lost_deal_count,
        describe_stages.stage_change_count,
        describe_stages.skip_count,
        describe_stages.regression_count,
        describe_stages.reopen_count,
        describe_stages.unmapped_stage_change_count,
        describe_stages.stage_change_before_created_count,
        case when describe_stages.is_won then describe_stages.won_amount_reporting end
            as won_amount_reporting,
        {{ dbt.datediff('describe_stages.last_stage_change_at', as_of_timestamp(), 'day') }}
            as days_since_last_stage_change,
        describe_stages.is_sales_sourced,
        describe_stages.deal_count > 0 as has_deal,
        describe_stages.is_open,
        describe_stages.is_won,
        describe_stages.is_lost,
        (
            describe_stages.is_open
            and {{ dbt.datediff('describe_stages.last_stage_change_at', as_of_timestamp(), 'second') }}
            > {{ var('stalled_after_days') }} * 86400
        ) as is_stalled,
        {%- for stage_key in stage_keys %}
        describe_stages.is_{{ stage_key }}_implied,
        {%- endfor %}
        describe_stages.cohort_date,
        describe_stages.cohort_week,
        describe_stages.cohort_month,
        describe_stages.created_at,
        {%- for stage_key in stage_keys %}
        describe_stages.reached_{{ stage_key }}_at,
        {%- endfor %}
        describe_stages.current_stage_entered_at,
        case when describe_stages.is_won then describe_stages.current_stage_entered_at end as won_at,
        case when describe_stages.is_lost then describe_stages.current_stage_entered_at end as lost_at,
        describe_stages.last_stage_change_at

    from describe_stages
    left join stg_crm__owners
        on describe_stages.owner_id = stg_crm__owners.owner_id

)

select * from add_outcomes
