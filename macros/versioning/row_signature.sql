{#- A 64-bit hash of a row's columns, for comparing sets of rows by sum per key (the
    incremental models' change detection): far less memory than comparing the rows themselves.
    Both sides of a comparison must hash columns of the same types. DuckDB hashes the values
    (hash() of several arguments); PostgreSQL hashes the text of the columns joined with the
    unit separator, chr(31), which ids, labels and numbers do not contain (hashtextextended).
    Spark builds no incremental model, but int_funnel_entity_facts keeps its bookkeeping
    columns there too: xxhash64 of the values, as decimal(20, 0), so that a sum of them cannot
    overflow. -#}
{% macro row_signature(columns) -%}
    {{ return(adapter.dispatch('row_signature', 'funnel_warehouse')(columns)) }}
{%- endmacro %}

{% macro duckdb__row_signature(columns) -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__row_signature(columns) -%}
    cast(xxhash64({{ columns | join(', ') }}) as decimal(20, 0))
{%- endmacro %}

{% macro default__row_signature(columns) -%}
    {%- set texts = [] -%}
    {%- for column in columns -%}
        {%- do texts.append(
            "coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), '<null>')"
        ) -%}
    {%- endfor -%}
    hashtextextended({{ texts | join(" || chr(31) || ") }}, 0)
{%- endmacro %}
