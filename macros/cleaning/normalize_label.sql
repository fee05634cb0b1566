{#- Match key of a CRM label: lowercased, runs of whitespace collapsed to one space, trimmed. -#}
{% macro normalize_label(column_name) -%}
    {{ return(adapter.dispatch('normalize_label', 'funnel_warehouse')(column_name)) }}
{%- endmacro %}

{% macro default__normalize_label(column_name) -%}
    nullif(lower({{ trim_whitespace(column_name) }}), '')
{%- endmacro %}

{#- DuckDB: also NFC-normalise (a label typed as "e" + combining accent matches the
    precomposed one) and collapse tabs, newlines and no-break spaces. -#}
{% macro duckdb__normalize_label(column_name) -%}
    nullif(lower(trim(regexp_replace(nfc_normalize({{ column_name }}), '[[:space:]\p{Z}]+', ' ', 'g'))), '')
{%- endmacro %}
