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
