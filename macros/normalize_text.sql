{#- Trimmed text, null when empty; lowercased unless lowercase=false. -#}
{% macro normalize_text(column_name, lowercase=true) -%}
    {%- if lowercase -%}
        nullif(lower(trim({{ column_name }})), '')
    {%- else -%}
        nullif(trim({{ column_name }}), '')
    {%- endif -%}
{%- endmacro %}
