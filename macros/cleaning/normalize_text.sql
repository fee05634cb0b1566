{#- Text without surrounding whitespace, null when empty; lowercased unless lowercase=false. -#}
{% macro normalize_text(column_name, lowercase=true) -%}
    {%- if lowercase -%}
        nullif(lower({{ trim_whitespace(column_name) }}), '')
    {%- else -%}
        nullif({{ trim_whitespace(column_name) }}, '')
    {%- endif -%}
{%- endmacro %}
