with

int_stage_transitions as (

    select * from {{ ref('int_stage_transitions') }}

),

find_exits as (

    select
        *,
        lead(changed_at) over (
            partition by entity_type, entity_id order by transition_sequence
        ) as exited_at,
        lead(to_stage_key) over (
            partition by entity_type, entity_id order by transition_sequence
        ) as next_stage_key,
        min(case when entity_type = 'deal' then changed_at end) over (
            partition by funnel_entity_type, funnel_entity_id
        ) as first_deal_entered_at

    from int_stage_transitions

),

measure_spells as (

    select
        stage_transition_id as stage_spell_id,
        entity_type,
        entity_id,
        funnel_entity_type,
        funnel_entity_id,
        transition_sequence as spell_sequence,
        to_stage_key as stage_key,
        to_stage_order as stage_order,
        from_stage_key as previous_stage_key,
        next_stage_key,
        {{ dbt.datediff('changed_at', 'coalesce(exited_at, ' ~ as_of_timestamp() ~ ')', 'second') }}
            as duration_seconds,
        exited_at is null as is_current,
        entity_type = 'lead' and first_deal_entered_at is not null as is_lead_converted,
        is_terminal as is_terminal_stage,
        is_won as is_won_stage,
        is_lost as is_lost_stage,
        is_skip as is_entered_by_skip,
        is_regression as is_entered_by_regression,
        is_reopen as is_entered_by_reopen,
        case when entity_type = 'lead' then first_deal_entered_at end as lead_converted_at,
        changed_at as entered_at,
        exited_at

    from find_exits

),

convert_durations as (

    select
        *,
        {{ safe_divide('duration_seconds', '86400.0') }} as duration_days

    from measure_spells

)

select * from convert_durations
