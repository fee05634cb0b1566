{#- The stays of int_stage_spells without what depends on the build's as-of date (the
    duration of a spell still open), so they can be kept from night to night. Incremental on
    DuckDB and PostgreSQL (replace_entities by funnel entity): a night recomputes the funnel
    entities whose events_rebuilt_at in int_stage_transitions differs from the one held here,
    both ways (a deal's transitions decide its lead's is_lead_converted, so the unit is the
    funnel entity). On Spark a table (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_entities',
    unique_key=['funnel_entity_type', 'funnel_entity_id'],
    entity_row_key='stage_spell_id',
    on_schema_change='fail',
) }}

with

int_stage_transitions as (

    select * from {{ ref('int_stage_transitions') }}

),

{% if is_incremental() -%}
find_changed_funnel_entities as (

    {{ changed_funnel_entities('int_stage_transitions') }}

),

{% endif -%}
select_transitions as (

    select * from int_stage_transitions
    where {{ of_changed_funnel_entities() }}

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

    from select_transitions

),

bound_spells as (

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
        exited_at,
        events_rebuilt_at

    from find_exits

),

{# In a night, every changed funnel entity: one without any spell left keeps one row of nulls
    (a null stage_spell_id), so replace_entities deletes its old rows. -#}
cover_changed_funnel_entities as (

    {% if is_incremental() -%}
    select
        bound_spells.stage_spell_id,
        bound_spells.entity_type,
        bound_spells.entity_id,
        find_changed_funnel_entities.funnel_entity_type,
        find_changed_funnel_entities.funnel_entity_id,
        bound_spells.spell_sequence,
        bound_spells.stage_key,
        bound_spells.stage_order,
        bound_spells.previous_stage_key,
        bound_spells.next_stage_key,
        bound_spells.is_current,
        bound_spells.is_lead_converted,
        bound_spells.is_terminal_stage,
        bound_spells.is_won_stage,
        bound_spells.is_lost_stage,
        bound_spells.is_entered_by_skip,
        bound_spells.is_entered_by_regression,
        bound_spells.is_entered_by_reopen,
        bound_spells.lead_converted_at,
        bound_spells.entered_at,
        bound_spells.exited_at,
        bound_spells.events_rebuilt_at

    from find_changed_funnel_entities
    left join bound_spells
        on find_changed_funnel_entities.funnel_entity_type = bound_spells.funnel_entity_type
        and find_changed_funnel_entities.funnel_entity_id = bound_spells.funnel_entity_id
    {%- else -%}
    select * from bound_spells
    {%- endif %}

)

select * from cover_changed_funnel_entities
