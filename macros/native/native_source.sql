{#- Every column a native staging model needs from one source table, cast to its type, with
    the four lineage columns; a column the relation lacks is null. File ingestion writes every
    contract column, but a loader's schema (var('<system>_schema')) may lack an optional one
    (CurrencyIsoCode in a single-currency org, a custom field) and has no lineage columns: they
    become null (_loaded_at: the loader's _fivetran_synced when present). A table that does not
    exist at all (a system never ingested, an object the loader does not sync) reads as no rows,
    so a missing system never breaks the build. columns: a list of
    [name, type] pairs, type one of text, timestamp, date, decimal, integer, boolean. -#}
{% macro native_source(relation, columns) -%}
    {%- set present = [] -%}
    {%- set found = adapter.get_relation(relation.database, relation.schema, relation.identifier) if execute else relation -%}
    {%- if execute and found is not none -%}
        {%- for column in adapter.get_columns_in_relation(found) -%}
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
    select
        {%- for name, type in columns %}
        {% if not execute or name in present -%}
            cast({{ adapter.quote(name) }} as {{ types[type] }})
        {%- else -%}
            cast(null as {{ types[type] }})
        {%- endif %} as {{ adapter.quote(name) }},
        {%- endfor %}
        {%- for name, type, fallback in [
            ('_file_hash', dbt.type_string(), none),
            ('_source_file', dbt.type_string(), none),
            ('_source_line', dbt.type_bigint(), none),
            ('_loaded_at', dbt.type_timestamp(), '_fivetran_synced'),
        ] %}
        {% if not execute or name in present -%}
            {{ name }}
        {%- elif fallback in present -%}
            cast({{ fallback }} as {{ type }})
        {%- else -%}
            cast(null as {{ type }})
        {%- endif %} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    {%- if found is none %}
    where 1 = 0
    {%- else %}
    from {{ relation }}
    {%- endif %}
{%- endmacro %}


{#- A native system's id as a warehouse key: '<system>:<id>' (trimmed; null stays null), so
    keys of two systems, and of the canonical contract, can never collide. -#}
{% macro native_key(column_name, system) -%}
    case
        when {{ normalize_text(column_name, lowercase=false) }} is not null
            then {{ dbt.concat(["'" ~ system ~ ":'", normalize_text(column_name, lowercase=false)]) }}
    end
{%- endmacro %}


{#- The conform point of one canonical entity: the canonical staging model's columns, then one
    union member per native system in systems (default: active_native_systems('native_crm_systems'); its
    int_<system>__<entity> model, in the same column order). add_source_system: the canonical
    model lacks source_system; it is added (canonical_source_system, a SQL expression) as the
    last column. -#}
{% macro conform(entity, canonical_model, columns, add_source_system=false, canonical_source_system="'canonical'", systems=none) -%}
    select
        {{ columns | join(',\n        ') }}
        {%- if add_source_system %},
        {{ canonical_source_system }} as source_system
        {%- endif %}
    from {{ ref(canonical_model) }}
    {%- for system in (active_native_systems('native_crm_systems') if systems is none else systems) %}

    union all

    select
        {{ columns | join(',\n        ') }}
        {%- if add_source_system %},
        source_system
        {%- endif %}
    from {{ ref('int_' ~ system ~ '__' ~ entity) }}
    {%- endfor %}
{%- endmacro %}
