{#- The CRM a row came from, lowercased: the landed source_system column, else the project's
    var('default_source_system'). Stage labels are mapped per source system. -#}
{% macro crm_source_system(column_name='source_system') -%}
    coalesce({{ normalize_text(column_name) }}, '{{ var("default_source_system") | lower | trim }}')
{%- endmacro %}
