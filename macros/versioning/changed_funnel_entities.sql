{#- For the incremental stage chain: the funnel entities (funnel_entity_type,
    funnel_entity_id) whose version differs between `versions` (a relation or CTE with the
    columns funnel_entity_type, funnel_entity_id and events_rebuilt_at, the newest rebuilt_at
    of the entity's events in int_funnel_stage_events) and the model's own table, both ways:
    new, changed and vanished funnel entities. Compared as sets, not against a watermark, so a
    night that failed half-way is caught up by the next, whatever the clock did. Call it only
    when is_incremental(). -#}
{% macro changed_funnel_entities(versions) -%}
    {{ keys_of_differing_rows(
        '(select distinct funnel_entity_type, funnel_entity_id, events_rebuilt_at from '
            ~ versions ~ ') as current_versions',
        '(select distinct funnel_entity_type, funnel_entity_id, events_rebuilt_at from '
            ~ this ~ ') as built_versions',
        ['funnel_entity_type', 'funnel_entity_id'],
    ) }}
{%- endmacro %}

{#- The condition that keeps, in a night (is_incremental()), only the rows of the funnel
    entities listed in `changed` (a CTE with funnel_entity_type and funnel_entity_id, as
    changed_funnel_entities returns); in a full build, every row (true). -#}
{% macro of_changed_funnel_entities(changed='find_changed_funnel_entities') -%}
    {%- if is_incremental() -%}
        (funnel_entity_type, funnel_entity_id) in (
            select
                changed.funnel_entity_type,
                changed.funnel_entity_id
            from {{ changed }} as changed
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- The version of each funnel entity's events: the newest rebuilt_at of its rows in `events`
    (int_funnel_stage_events, which rewrites exactly the funnel entities whose events changed),
    as events_rebuilt_at; what changed_funnel_entities compares. -#}
{% macro funnel_event_versions(events) -%}
    select
        funnel_entity_type,
        funnel_entity_id,
        max(rebuilt_at) as events_rebuilt_at

    from {{ events }}
    group by funnel_entity_type, funnel_entity_id
{%- endmacro %}
