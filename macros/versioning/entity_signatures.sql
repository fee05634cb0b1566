{#- One row per entity of `relation`: its key columns, how many rows it has (`rows_name`) and
    the sum of row_signature over `columns` of those rows (`signature_name`). An incremental
    model computes it for its input and for its own rows and compares the two both ways with
    keys_of_differing_rows: the entities whose rows differ are the ones to replace. -#}
{% macro entity_signatures(relation, entity_key, columns, rows_name, signature_name, where=none) -%}
    {%- set keys = [entity_key] if entity_key is string else entity_key -%}
    select
        {{ keys | join(',\n        ') }},
        count(*) as {{ rows_name }},
        sum({{ row_signature(columns) }}) as {{ signature_name }}

    from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
    group by {{ keys | join(', ') }}
{%- endmacro %}
