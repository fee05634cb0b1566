{#- Incremental on DuckDB and PostgreSQL (replace_entities by funnel entity): a night
    recomputes the milestones of the funnel entities whose newest events rebuilt_at
    (int_funnel_stage_events, which replaces exactly the funnel entities whose events changed)
    differs from the events_rebuilt_at held here, both ways: new, changed and vanished funnel
    entities. A milestone depends on its funnel entity's events and the seed funnel_stages
    alone (a seed change rebuilds it whole: rule fingerprints, issue 17 item 2). On Spark a
    table (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_entities',
    unique_key=['funnel_entity_type', 'funnel_entity_id'],
    entity_row_key='stage_key',
    on_schema_change='fail',
) }}

with

int_funnel_stage_events as (

    select * from {{ ref('int_funnel_stage_events') }}

),

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

list_event_versions as (

    {{ funnel_event_versions('int_funnel_stage_events') }}

),

{% if is_incremental() -%}
find_changed_funnel_entities as (

    {{ changed_funnel_entities('list_event_versions') }}

),

{% endif -%}
select_changed_events as (

    select * from int_funnel_stage_events
    where {{ of_changed_funnel_entities() }}

),

list_ordered_events as (

    select
        funnel_entity_type,
        funnel_entity_id,
        stage_key,
        stage_order,
        changed_at

    from select_changed_events
    where is_stage_mapped
        and stage_order is not null

),

list_ordered_stages as (

    select
        stage_key,
        stage_order

    from funnel_stages
    where stage_order is not null

),

reach_stages as (

    select
        list_ordered_events.funnel_entity_type,
        list_ordered_events.funnel_entity_id,
        list_ordered_stages.stage_key,
        list_ordered_stages.stage_order,
        min(list_ordered_events.changed_at) as reached_at,
        min(
            case
                when list_ordered_events.stage_key = list_ordered_stages.stage_key
                    then list_ordered_events.changed_at
            end
        ) as first_entered_at

    from list_ordered_events
    inner join list_ordered_stages
        on list_ordered_events.stage_order >= list_ordered_stages.stage_order
    group by
        list_ordered_events.funnel_entity_type,
        list_ordered_events.funnel_entity_id,
        list_ordered_stages.stage_key,
        list_ordered_stages.stage_order

),

flag_implied_stages as (

    select
        reach_stages.funnel_entity_type,
        reach_stages.funnel_entity_id,
        reach_stages.stage_key,
        reach_stages.stage_order,
        reach_stages.first_entered_at is null as is_implied,
        reach_stages.reached_at,
        reach_stages.first_entered_at,
        list_event_versions.events_rebuilt_at

    from reach_stages
    inner join list_event_versions
        on reach_stages.funnel_entity_type = list_event_versions.funnel_entity_type
        and reach_stages.funnel_entity_id = list_event_versions.funnel_entity_id

),

{# In a night, every changed funnel entity: one without any milestone left keeps one row of
    nulls (a null stage_key), so replace_entities deletes its old rows. -#}
cover_changed_funnel_entities as (

    {% if is_incremental() -%}
    select
        find_changed_funnel_entities.funnel_entity_type,
        find_changed_funnel_entities.funnel_entity_id,
        flag_implied_stages.stage_key,
        flag_implied_stages.stage_order,
        flag_implied_stages.is_implied,
        flag_implied_stages.reached_at,
        flag_implied_stages.first_entered_at,
        flag_implied_stages.events_rebuilt_at

    from find_changed_funnel_entities
    left join flag_implied_stages
        on find_changed_funnel_entities.funnel_entity_type = flag_implied_stages.funnel_entity_type
        and find_changed_funnel_entities.funnel_entity_id = flag_implied_stages.funnel_entity_id
    {%- else -%}
    select * from flag_implied_stages
    {%- endif %}

)

select * from cover_changed_funnel_entities
