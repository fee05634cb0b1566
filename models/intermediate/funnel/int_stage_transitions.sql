{#- Incremental on DuckDB and PostgreSQL (replace_entities by funnel entity): a night
    recomputes the transitions of the funnel entities whose newest events rebuilt_at
    (int_funnel_stage_events, which replaces exactly the funnel entities whose events changed)
    differs from the events_rebuilt_at held here, both ways: new, changed and vanished funnel
    entities. A transition depends on its funnel entity's events alone, so every other row
    stays as it is. Compared as sets, not against a watermark: a night that failed half-way is
    caught up by the next, whatever the clock did. On Spark a table (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_entities',
    unique_key=['funnel_entity_type', 'funnel_entity_id'],
    entity_row_key='stage_transition_id',
    on_schema_change='fail',
) }}

{%- set skipped_stage_count -%}
    case
        when is_entry and to_stage_order > entity_entry_stage_order
            then to_stage_order - entity_entry_stage_order
        when not is_entry
            and not is_from_terminal_stage
            and to_stage_order > from_stage_order
            then to_stage_order - from_stage_order - 1
        else 0
    end
{%- endset -%}

with

int_funnel_stage_events as (

    select * from {{ ref('int_funnel_stage_events') }}

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

keep_mapped_events as (

    select * from select_changed_events
    where is_stage_mapped

),

find_previous_stages as (

    select
        *,
        lag(stage_key) over (
            partition by entity_type, entity_id order by event_sequence
        ) as from_stage_key,
        lag(stage_order) over (
            partition by entity_type, entity_id order by event_sequence
        ) as from_stage_order,
        lag(is_terminal_stage) over (
            partition by entity_type, entity_id order by event_sequence
        ) as is_from_terminal_stage

    from keep_mapped_events

),

drop_repeated_stages as (

    select * from find_previous_stages
    where from_stage_key is null
        or from_stage_key <> stage_key

),

classify_transitions as (

    select
        stage_event_id,
        entity_type,
        entity_id,
        funnel_entity_type,
        funnel_entity_id,
        row_number() over (
            partition by entity_type, entity_id order by event_sequence
        ) as transition_sequence,
        event_type,
        source_system,
        stage_label,
        from_stage_key,
        from_stage_order,
        stage_key as to_stage_key,
        stage_order as to_stage_order,
        from_stage_key is null as is_entry,
        coalesce(is_from_terminal_stage, false) as is_from_terminal_stage,
        is_terminal_stage as is_to_terminal_stage,
        is_won_stage,
        entity_entry_stage_order,
        is_before_entity_created,
        recorded_changed_at,
        changed_at

    from drop_repeated_stages

),

flag_transitions as (

    select
        stage_event_id as stage_transition_id,
        entity_type,
        entity_id,
        funnel_entity_type,
        funnel_entity_id,
        transition_sequence,
        event_type,
        source_system,
        stage_label,
        from_stage_key,
        to_stage_key,
        from_stage_order,
        to_stage_order,
        {{ skipped_stage_count }} as skipped_stage_count,
        {{ skipped_stage_count }} > 0 as is_skip,
        is_entry,
        coalesce(
            not is_entry
            and not is_from_terminal_stage
            and to_stage_order > from_stage_order,
            false
        ) as is_forward,
        coalesce(
            not is_entry
            and not is_from_terminal_stage
            and not is_to_terminal_stage
            and to_stage_order < from_stage_order,
            false
        ) as is_regression,
        not is_entry and is_from_terminal_stage and not is_to_terminal_stage as is_reopen,
        is_to_terminal_stage as is_terminal,
        is_won_stage as is_won,
        is_to_terminal_stage and not is_won_stage as is_lost,
        is_before_entity_created,
        recorded_changed_at,
        changed_at

    from classify_transitions

),

{# In a night, every changed funnel entity: one without any transition left keeps one row of
    nulls (a null stage_transition_id), so replace_entities deletes its old rows. -#}
cover_changed_funnel_entities as (

    {% if is_incremental() -%}
    select
        flag_transitions.*,
        find_changed_funnel_entities.funnel_entity_type as replaced_funnel_entity_type,
        find_changed_funnel_entities.funnel_entity_id as replaced_funnel_entity_id

    from find_changed_funnel_entities
    left join flag_transitions
        on find_changed_funnel_entities.funnel_entity_type = flag_transitions.funnel_entity_type
        and find_changed_funnel_entities.funnel_entity_id = flag_transitions.funnel_entity_id
    {%- else -%}
    select
        *,
        funnel_entity_type as replaced_funnel_entity_type,
        funnel_entity_id as replaced_funnel_entity_id

    from flag_transitions
    {%- endif %}

),

finalise as (

    select
        cover_changed_funnel_entities.stage_transition_id,
        cover_changed_funnel_entities.entity_type,
        cover_changed_funnel_entities.entity_id,
        cover_changed_funnel_entities.replaced_funnel_entity_type as funnel_entity_type,
        cover_changed_funnel_entities.replaced_funnel_entity_id as funnel_entity_id,
        cover_changed_funnel_entities.transition_sequence,
        cover_changed_funnel_entities.event_type,
        cover_changed_funnel_entities.source_system,
        cover_changed_funnel_entities.stage_label,
        cover_changed_funnel_entities.from_stage_key,
        cover_changed_funnel_entities.to_stage_key,
        cover_changed_funnel_entities.from_stage_order,
        cover_changed_funnel_entities.to_stage_order,
        cover_changed_funnel_entities.skipped_stage_count,
        cover_changed_funnel_entities.is_skip,
        cover_changed_funnel_entities.is_entry,
        cover_changed_funnel_entities.is_forward,
        cover_changed_funnel_entities.is_regression,
        cover_changed_funnel_entities.is_reopen,
        cover_changed_funnel_entities.is_terminal,
        cover_changed_funnel_entities.is_won,
        cover_changed_funnel_entities.is_lost,
        cover_changed_funnel_entities.is_before_entity_created,
        cover_changed_funnel_entities.recorded_changed_at,
        cover_changed_funnel_entities.changed_at,
        list_event_versions.events_rebuilt_at

    from cover_changed_funnel_entities
    left join list_event_versions
        on cover_changed_funnel_entities.replaced_funnel_entity_type = list_event_versions.funnel_entity_type
        and cover_changed_funnel_entities.replaced_funnel_entity_id = list_event_versions.funnel_entity_id

)

select * from finalise
