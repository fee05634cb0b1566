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

keep_mapped_events as (

    select * from int_funnel_stage_events
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

)

select * from flag_transitions
