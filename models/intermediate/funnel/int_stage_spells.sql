{#- The stays of int_stage_spell_bounds with their durations: a spell still open lasts until
    the end of the build's as-of date, so this projection changes every night while the stays
    themselves are kept by entity. A view: its readers (fct_stage_spells, int_deal_outcomes,
    int_funnel_entity_facts) and its tests compute the two durations as they read; stored, it
    was 2.4M rows written every night at L (BENCHMARKS.md). -#}
{{ config(materialized='view') }}

with

int_stage_spell_bounds as (

    select * from {{ ref('int_stage_spell_bounds') }}

),

measure_spells as (

    select
        stage_spell_id,
        entity_type,
        entity_id,
        funnel_entity_type,
        funnel_entity_id,
        spell_sequence,
        stage_key,
        stage_order,
        previous_stage_key,
        next_stage_key,
        {{ dbt.datediff('entered_at', 'coalesce(exited_at, ' ~ as_of_timestamp() ~ ')', 'second') }}
            as duration_seconds,
        is_current,
        is_lead_converted,
        is_terminal_stage,
        is_won_stage,
        is_lost_stage,
        is_entered_by_skip,
        is_entered_by_regression,
        is_entered_by_reopen,
        lead_converted_at,
        entered_at,
        exited_at

    from int_stage_spell_bounds

),

convert_durations as (

    select
        *,
        {{ safe_divide('duration_seconds', '86400.0') }} as duration_days

    from measure_spells

)

select * from convert_durations
