{#- Incremental on DuckDB and PostgreSQL (replace_entities by funnel entity): everything
    fct_funnel says of a funnel entity except what ages with the as-of date
    (days_since_last_stage_change, is_stalled) and the owner's name and team, which fct_funnel
    adds over this table every night. A funnel entity's facts are a function of its
    int_funnel_entities row, its int_deal_outcomes rows, its stage events (milestones,
    transitions, current spell) and the seed funnel_stages alone. So per funnel entity three
    versions are kept: entity_signature (the row_signature of the int_funnel_entities columns
    read here), deals_signature (the sum of the row_signature of its deal outcome columns read
    here) and events_rebuilt_at (the newest rebuilt_at of its events, as in the milestones); a
    night recomputes the funnel entities where any of them differs from the inputs, both ways
    (new, changed and vanished entities), whatever upstream caused it (a deal, an fx rate, a
    lead or deal given to another owner, a plausibility window). A seed or var change rebuilds it whole (rule
    fingerprints, issue 17 item 2). On Spark a table (pitfall 23).
    The milestone columns, one per ordered stage (var funnel_stage_keys, which must agree
    with seeds/funnel_stages.csv: assert_funnel_stage_keys_match_seed). Which stage counts as
    reached is computed from the seed's order. -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_entities',
    unique_key=['funnel_entity_type', 'funnel_entity_id'],
    entity_row_key='entity_signature',
    on_schema_change='fail',
) }}
{%- set stage_keys = funnel_stage_keys() -%}
{#- The columns read from each input with a version: a change in any of them recomputes the
    funnel entity. -#}
{%- set entity_columns = [
    'lead_id', 'deal_id', 'owner_id', 'source_system', 'acquisition_source',
    'acquisition_medium', 'acquisition_campaign', 'channel', 'is_sales_sourced', 'cohort_date',
    'cohort_week', 'cohort_month', 'created_at',
] -%}
{%- set deal_columns = [
    'deal_id', 'owner_id', 'current_stage_key', 'current_stage_order', 'current_stage_entered_at',
    'is_open', 'is_won', 'is_lost', 'won_amount_reporting', 'created_at',
] -%}
{%- set qualified_entity_columns = [] -%}
{%- for column in entity_columns -%}
{%- do qualified_entity_columns.append('int_funnel_entities.' ~ column) -%}
{%- endfor -%}

with

int_funnel_entities as (

    select * from {{ ref('int_funnel_entities') }}

),

int_deal_outcomes as (

    select * from {{ ref('int_deal_outcomes') }}

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

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

sign_deals as (

    select
        funnel_entity_type,
        funnel_entity_id,
        sum({{ row_signature(deal_columns) }}) as deals_signature

    from int_deal_outcomes
    group by funnel_entity_type, funnel_entity_id

),

list_event_versions as (

    {{ funnel_event_versions('int_funnel_stage_events') }}

),

list_entity_versions as (

    select
        int_funnel_entities.funnel_entity_type,
        int_funnel_entities.funnel_entity_id,
        {%- for column in entity_columns %}
        int_funnel_entities.{{ column }},
        {%- endfor %}
        {{ row_signature(qualified_entity_columns) }}
            as entity_signature,
        sign_deals.deals_signature,
        list_event_versions.events_rebuilt_at

    from int_funnel_entities
    left join sign_deals
        on int_funnel_entities.funnel_entity_type = sign_deals.funnel_entity_type
        and int_funnel_entities.funnel_entity_id = sign_deals.funnel_entity_id
    left join list_event_versions
        on int_funnel_entities.funnel_entity_type = list_event_versions.funnel_entity_type
        and int_funnel_entities.funnel_entity_id = list_event_versions.funnel_entity_id

),

{% if is_incremental() -%}
find_changed_funnel_entities as (

    {{ keys_of_differing_rows(
        '(select funnel_entity_type, funnel_entity_id, entity_signature, deals_signature,'
            ~ ' events_rebuilt_at from list_entity_versions) as current_versions',
        '(select funnel_entity_type, funnel_entity_id, entity_signature, deals_signature,'
            ~ ' events_rebuilt_at from ' ~ this ~ ') as built_versions',
        ['funnel_entity_type', 'funnel_entity_id'],
    ) }}

),

{% endif -%}
{#- In a night, every changed funnel entity: one that vanished from int_funnel_entities keeps
    a row of nulls (a null entity_signature), so replace_entities deletes its old row. -#}
select_changed_entities as (

    {% if is_incremental() -%}
    select
        find_changed_funnel_entities.funnel_entity_type,
        find_changed_funnel_entities.funnel_entity_id,
        {%- for column in entity_columns %}
        list_entity_versions.{{ column }},
        {%- endfor %}
        list_entity_versions.entity_signature,
        list_entity_versions.deals_signature,
        list_entity_versions.events_rebuilt_at

    from find_changed_funnel_entities
    left join list_entity_versions
        on find_changed_funnel_entities.funnel_entity_type = list_entity_versions.funnel_entity_type
        and find_changed_funnel_entities.funnel_entity_id = list_entity_versions.funnel_entity_id
    {%- else -%}
    select * from list_entity_versions
    {%- endif %}

),

select_changed_milestones as (

    select * from int_funnel_milestones
    where {{ of_changed_funnel_entities() }}

),

select_changed_deals as (

    select * from int_deal_outcomes
    where {{ of_changed_funnel_entities() }}

),

select_changed_transitions as (

    select * from int_stage_transitions
    where {{ of_changed_funnel_entities() }}

),

select_changed_events as (

    select * from int_funnel_stage_events
    where {{ of_changed_funnel_entities() }}

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

    from select_changed_milestones
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

    from select_changed_deals

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
        and {{ of_changed_funnel_entities() }}

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

    from select_changed_transitions
    group by funnel_entity_type, funnel_entity_id

),

summarize_events as (

    select
        funnel_entity_type,
        funnel_entity_id,
        sum(case when is_stage_mapped then 0 else 1 end) as unmapped_stage_change_count,
        sum(case when is_before_entity_created then 1 else 0 end) as stage_change_before_created_count

    from select_changed_events
    group by funnel_entity_type, funnel_entity_id

),

join_facts as (

    select
        select_changed_entities.funnel_entity_type,
        select_changed_entities.funnel_entity_id,
        select_changed_entities.lead_id,
        coalesce(select_changed_entities.deal_id, summarize_deals.latest_deal_id) as latest_deal_id,
        summarize_deals.leading_deal_id,
        select_changed_entities.owner_id,
        summarize_deals.latest_deal_owner_id as deal_owner_id,
        select_changed_entities.source_system,
        select_changed_entities.acquisition_source,
        select_changed_entities.acquisition_medium,
        select_changed_entities.acquisition_campaign,
        select_changed_entities.channel,
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
        select_changed_entities.is_sales_sourced,
        {%- for stage_key in stage_keys %}
        coalesce(pivot_milestones.is_{{ stage_key }}_implied, false) as is_{{ stage_key }}_implied,
        {%- endfor %}
        select_changed_entities.cohort_date,
        select_changed_entities.cohort_week,
        select_changed_entities.cohort_month,
        select_changed_entities.created_at,
        {%- for stage_key in stage_keys %}
        pivot_milestones.reached_{{ stage_key }}_at,
        {%- endfor %}
        summarize_transitions.last_stage_change_at,
        select_changed_entities.entity_signature,
        select_changed_entities.deals_signature,
        select_changed_entities.events_rebuilt_at

    from select_changed_entities
    left join pivot_milestones
        on select_changed_entities.funnel_entity_type = pivot_milestones.funnel_entity_type
        and select_changed_entities.funnel_entity_id = pivot_milestones.funnel_entity_id
    left join summarize_deals
        on select_changed_entities.funnel_entity_type = summarize_deals.funnel_entity_type
        and select_changed_entities.funnel_entity_id = summarize_deals.funnel_entity_id
    left join find_current_lead_spells
        on select_changed_entities.funnel_entity_type = find_current_lead_spells.funnel_entity_type
        and select_changed_entities.funnel_entity_id = find_current_lead_spells.funnel_entity_id
    left join summarize_transitions
        on select_changed_entities.funnel_entity_type = summarize_transitions.funnel_entity_type
        and select_changed_entities.funnel_entity_id = summarize_transitions.funnel_entity_id
    left join summarize_events
        on select_changed_entities.funnel_entity_type = summarize_events.funnel_entity_type
        and select_changed_entities.funnel_entity_id = summarize_events.funnel_entity_id

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
        funnel_entity_type,
        funnel_entity_id,
        lead_id,
        latest_deal_id,
        leading_deal_id,
        owner_id,
        deal_owner_id,
        source_system,
        acquisition_source,
        acquisition_medium,
        acquisition_campaign,
        channel,
        current_stage_key,
        furthest_stage_key,
        current_stage_order,
        furthest_stage_order,
        deal_count,
        open_deal_count,
        won_deal_count,
        lost_deal_count,
        stage_change_count,
        skip_count,
        regression_count,
        reopen_count,
        unmapped_stage_change_count,
        stage_change_before_created_count,
        case when is_won then won_amount_reporting end
            as won_amount_reporting,
        is_sales_sourced,
        deal_count > 0 as has_deal,
        is_open,
        is_won,
        is_lost,
        {%- for stage_key in stage_keys %}
        is_{{ stage_key }}_implied,
        {%- endfor %}
        cohort_date,
        cohort_week,
        cohort_month,
        created_at,
        {%- for stage_key in stage_keys %}
        reached_{{ stage_key }}_at,
        {%- endfor %}
        current_stage_entered_at,
        case when is_won then current_stage_entered_at end as won_at,
        case when is_lost then current_stage_entered_at end as lost_at,
        last_stage_change_at,
        entity_signature,
        deals_signature,
        events_rebuilt_at

    from describe_stages

)

select * from add_outcomes
