{#- A company web domain as a join key: lowercased and trimmed, without a URL scheme, a
    leading 'www.', or anything from the first '/', '?', '#' or ':' on; null when empty.
    Patterns use [.] rather than a backslash so they mean the same under every engine's
    string-literal escaping. -#}
{% macro normalize_domain(column_name) -%}
    {{ return(adapter.dispatch('normalize_domain', 'funnel_warehouse')(column_name)) }}
{%- endmacro %}

{#- Snowflake, BigQuery, Databricks / Spark: regexp_replace replaces every match. -#}
{% macro default__normalize_domain(column_name) -%}
    {{ _normalize_domain_with_flags(column_name, none) }}
{%- endmacro %}

{#- DuckDB and Postgres replace only the first match unless given the 'g' flag. -#}
{% macro duckdb__normalize_domain(column_name) -%}
    {{ _normalize_domain_with_flags(column_name, "'g'") }}
{%- endmacro %}

{% macro postgres__normalize_domain(column_name) -%}
    {{ _normalize_domain_with_flags(column_name, "'g'") }}
{%- endmacro %}

{% macro _normalize_domain_with_flags(column_name, flags) -%}
    {%- set flags_arg = ", " ~ flags if flags else "" -%}
    nullif(
        regexp_replace(
            regexp_replace(lower({{ trim_whitespace(column_name) }}), '^[a-z][a-z0-9+.-]*://', ''{{ flags_arg }}),
            '^www[.]|[/?#:].*$',
            ''{{ flags_arg }}
        ),
        ''
    )
{%- endmacro %}
