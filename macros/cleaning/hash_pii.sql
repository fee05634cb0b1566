{#- Hex sha256 of a personal value, so rows can be matched without storing the value.
    With normalize=true (the default) the value is trimmed and lowercased first and an
    empty value hashes to null. -#}
{% macro hash_pii(column_name, normalize=true) -%}
    {%- set value = normalize_text(column_name) if normalize else column_name -%}
    {{ return(adapter.dispatch('hash_pii', 'funnel_warehouse')(value)) }}
{%- endmacro %}

{#- Snowflake, Databricks / Spark, MySQL -#}
{% macro default__hash_pii(value) -%}
    sha2({{ value }}, 256)
{%- endmacro %}

{% macro duckdb__hash_pii(value) -%}
    sha256({{ value }})
{%- endmacro %}

{% macro postgres__hash_pii(value) -%}
    encode(sha256(convert_to({{ value }}, 'UTF8')), 'hex')
{%- endmacro %}
