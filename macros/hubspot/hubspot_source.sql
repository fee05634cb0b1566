{#- Every column a HubSpot staging model needs from one source table, cast to its type, plus
    the four lineage columns. A column is read from the first of <name>, property_<name>,
    properties_<name> the relation has (file ingestion strips the prefix; a Fivetran or flattened
    Airbyte schema named by var('hubspot_schema') keeps it); a column none of them has is null.
    A loader's table has no lineage columns: _loaded_at falls back to _fivetran_synced (or
    _airbyte_extracted_at), is_deleted to _fivetran_deleted. columns: [name, type] pairs, type
    one of text, timestamp, date, decimal, integer, boolean. A table that does not exist (no
    HubSpot files landed, an object the loader does not sync) reads as no rows. -#}
{% macro hubspot_source(relation, columns) -%}
    {%- set present = [] -%}
    {%- set existing = adapter.get_relation(relation.database, relation.schema, relation.identifier) if execute else relation -%}
    {%- if execute and existing is not none -%}
        {%- for column in adapter.get_columns_in_relation(existing) -%}
            {%- do present.append(column.name | lower) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set types = {
        'text': dbt.type_string(),
        'timestamp': dbt.type_timestamp(),
        'date': 'date',
        'decimal': 'decimal(38, 9)',
        'integer': dbt.type_bigint(),
        'boolean': dbt.type_boolean(),
    } -%}
    {%- set fallbacks = {
        'is_deleted': ['_fivetran_deleted'],
        '_loaded_at': ['_fivetran_synced', '_airbyte_extracted_at'],
    } -%}
    select
        {%- for name, type in columns + [
            ['_file_hash', 'text'], ['_source_file', 'text'], ['_source_line', 'integer'],
            ['_loaded_at', 'timestamp'],
        ] %}
        {%- set found = [] -%}
        {%- for candidate in [name, 'property_' ~ name, 'properties_' ~ name] + fallbacks.get(name, []) -%}
            {%- if candidate in present and not found -%}
                {%- do found.append(candidate) -%}
            {%- endif -%}
        {%- endfor %}
        {% if not execute -%}
            cast({{ adapter.quote(name) }} as {{ types[type] }})
        {%- elif found -%}
            cast({{ adapter.quote(found[0]) }} as {{ types[type] }})
        {%- else -%}
            cast(null as {{ types[type] }})
        {%- endif %} as {{ adapter.quote(name) }}{{ ',' if not loop.last }}
        {%- endfor %}
    {%- if existing is none %}
    where 1 = 0
    {%- else %}
    from {{ relation }}
    {%- endif %}
{%- endmacro %}
