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

{#- PostgreSQL (UTF8 database): normalize(..., nfc), and the same whitespace as DuckDB's
    [[:space:]\p{Z}] written out as characters (PostgreSQL's regex has no \p{..} classes). -#}
{% macro postgres__normalize_label(column_name) -%}
    {%- set characters = [] -%}
    {%- for code_point in label_whitespace_code_points() -%}
        {%- do characters.append('chr(' ~ code_point ~ ')') -%}
    {%- endfor -%}
    nullif(lower(trim(regexp_replace(
        normalize({{ column_name }}, nfc),
        '[' || {{ characters | join(' || ') }} || ']+',
        ' ',
        'g'
    ))), '')
{%- endmacro %}

{#- Spark (Java regex, which replaces every match): \s is the same ASCII set as POSIX
    [[:space:]], \p{Z} the Unicode separators. Spark SQL has no Unicode normalisation, so a
    label typed with a combining accent does not match its precomposed seed label there. -#}
{% macro spark__normalize_label(column_name) -%}
    nullif(lower(trim(regexp_replace({{ column_name }}, '[\\s\\p{Z}]+', ' '))), '')
{%- endmacro %}

{#- The characters normalize_label collapses: POSIX [[:space:]] (tab, line feed, vertical tab,
    form feed, carriage return, space) and Unicode's separators (categories Zs, Zl, Zp). -#}
{% macro label_whitespace_code_points() -%}
    {{ return([9, 10, 11, 12, 13, 32, 160, 5760] + range(8192, 8203) | list + [8232, 8233, 8239, 8287, 12288]) }}
{%- endmacro %}
