{#- A 64-bit hash of a row's columns, for comparing sets of rows by sum per key (the
    incremental models' change detection): far less memory than comparing the rows themselves.
    Both sides of a comparison must hash columns of the same types. DuckDB hashes the values
    (hash() of several arguments); PostgreSQL hashes the text of the columns joined with the
    unit separator, chr(31), which ids, labels and numbers do not contain (hashtextextended).
    Spark builds no incremental model. -#}
{% macro row_signature(columns) -%}
    {{ return(adapter.dispatch('row_signature', 'funnel_warehouse')(columns)) }}
{%- endmacro %}

{% macro duckdb__row_signature(columns) -%}
    hash({{ columns | join(', ') }})
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
