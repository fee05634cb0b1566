with

int_stage_transitions as (

    select * from {{ ref('int_stage_transitions') }}

),

{# every column but events_rebuilt_at, the incremental bookkeeping of the stage chain #}
add_reporting_dates as (

    select
        stage_transition_id,
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
        skipped_stage_count,
        is_skip,
        is_entry,
        is_forward,
        is_regression,
        is_reopen,
        is_terminal,
        is_won,
        is_lost,
        is_before_entity_created,
        recorded_changed_at,
        changed_at,
        {{ to_reporting_date('changed_at') }} as changed_date

    from int_stage_transitions

),

truncate_reporting_dates as (

    select
        *,
        cast({{ dbt.date_trunc('week', 'changed_date') }} as date) as changed_week,
        cast({{ dbt.date_trunc('month', 'changed_date') }} as date) as changed_month

    from add_reporting_dates

)

select * from truncate_reporting_dates
