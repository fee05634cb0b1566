{#- Incremental on DuckDB and PostgreSQL (replace_entities by funnel entity,
    macros/versioning/): a night compares, per funnel entity, the count and summed
    row_signature of its rows in int_stage_transitions with those of its rows here (every
    column but the reporting dates, which follow from changed_at and the reporting time zone;
    a chance of about 2^-64 that a change goes unseen), both ways, and replaces only the funnel
    entities that differ: new, changed and vanished ones. A row here is a projection of its
    row there, so no other entity can change. Compared as sets, not against a watermark: a
    night that failed half-way is caught up by the next. Seed, var and SQL changes (the
    reporting time zone among them) rebuild it whole (rule fingerprints, issue 17 item 2).
    Measured against the table form in BENCHMARKS.md ("Materialisation"). On Spark a table
    (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_entities',
    unique_key=['funnel_entity_type', 'funnel_entity_id'],
    entity_row_key='stage_transition_id',
    on_schema_change='fail',
) }}

{#- every column of int_stage_transitions but events_rebuilt_at, the incremental bookkeeping
    of the stage chain -#}
{%- set transition_columns = [
    'stage_transition_id', 'entity_type', 'entity_id', 'funnel_entity_type', 'funnel_entity_id',
    'transition_sequence', 'event_type', 'source_system', 'stage_label', 'from_stage_key',
    'to_stage_key', 'from_stage_order', 'to_stage_order', 'skipped_stage_count', 'is_skip',
    'is_entry', 'is_forward', 'is_regression', 'is_reopen', 'is_terminal', 'is_won', 'is_lost',
    'is_before_entity_created', 'recorded_changed_at', 'changed_at',
] %}

with

int_stage_transitions as (

    select * from {{ ref('int_stage_transitions') }}

),

{% if is_incremental() -%}
sign_current_transitions as (

    {{ entity_signatures(
        'int_stage_transitions', ['funnel_entity_type', 'funnel_entity_id'], transition_columns,
        'transition_rows', 'transitions_signature'
    ) }}

),

sign_built_transitions as (

    {{ entity_signatures(
        this, ['funnel_entity_type', 'funnel_entity_id'], transition_columns,
        'transition_rows', 'transitions_signature'
    ) }}

),

find_changed_funnel_entities as (

    {{ keys_of_differing_rows(
        'sign_current_transitions', 'sign_built_transitions',
        ['funnel_entity_type', 'funnel_entity_id'],
    ) }}

),

{% endif -%}
{# In a night, every changed funnel entity: one without any transition left keeps one row of
    nulls (a null stage_transition_id), so the replace_entities strategy deletes its old rows
    and inserts none. -#}
select_transitions as (

    {% if is_incremental() -%}
    select
        {%- for column in transition_columns if column not in ('funnel_entity_type', 'funnel_entity_id') %}
        int_stage_transitions.{{ column }},
        {%- endfor %}
        find_changed_funnel_entities.funnel_entity_type,
        find_changed_funnel_entities.funnel_entity_id

    from find_changed_funnel_entities
    left join int_stage_transitions
        on find_changed_funnel_entities.funnel_entity_type = int_stage_transitions.funnel_entity_type
        and find_changed_funnel_entities.funnel_entity_id = int_stage_transitions.funnel_entity_id
    {%- else -%}
    select * from int_stage_transitions
    {%- endif %}

),

add_reporting_dates as (

    select
        {{ transition_columns | join(',\n        ') }},
        {{ to_reporting_date('changed_at') }} as changed_date

    from select_transitions

),

truncate_reporting_dates as (

    select
        *,
        cast({{ dbt.date_trunc('week', 'changed_date') }} as date) as changed_week,
        cast({{ dbt.date_trunc('month', 'changed_date') }} as date) as changed_month

    from add_reporting_dates

)

select * from truncate_reporting_dates
