{#- Select every column of relation plus stage_key and is_stage_mapped, mapping its CRM label
    through the crm_stage_labels seed: same entity_type, same label after normalize_label, and
    source_system equal to the row's (already lowercased) source system, else '*' (any CRM).
    An exact source-system match wins over '*'. An unmapped label keeps its row, with a null
    stage_key and is_stage_mapped = false. The seed's key is tested unique, so the joins never
    fan out. Each distinct label is normalised once (label_keys), not once per row: at L the
    normalisation in the join conditions was most of a CRM staging model's time. -#}
{% macro map_stage_labels(relation, entity_type, source_system_column='source_system', label_column='stage_label') -%}
    select
        {{ relation }}.*,
        coalesce(exact_match.stage_key, any_crm_match.stage_key) as stage_key,
        coalesce(exact_match.stage_key, any_crm_match.stage_key) is not null as is_stage_mapped
    from {{ relation }}
    left join (
        select
            distinct_labels.label,
            {{ normalize_label('distinct_labels.label') }} as label_key
        from (select distinct {{ label_column }} as label from {{ relation }}) as distinct_labels
    ) as label_keys
        on {{ relation }}.{{ label_column }} = label_keys.label
    left join {{ _stage_label_keys(entity_type) }} as exact_match
        on exact_match.source_system = {{ relation }}.{{ source_system_column }}
        and exact_match.label_key = label_keys.label_key
    left join {{ _stage_label_keys(entity_type) }} as any_crm_match
        on any_crm_match.source_system = '*'
        and any_crm_match.label_key = label_keys.label_key
{%- endmacro %}

{% macro _stage_label_keys(entity_type) -%}
    (
        select
            lower(trim(source_system)) as source_system,
            {{ normalize_label('label') }} as label_key,
            lower(trim(stage_key)) as stage_key
        from {{ ref('crm_stage_labels') }}
        where lower(trim(entity_type)) = '{{ entity_type }}'
    )
{%- endmacro %}
