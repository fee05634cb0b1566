{#- The values of measure in the group, sorted ascending (byte order of the text) and joined
    with delimiter_text (a quoted SQL string). dbt.listagg with `order by <measure>`, except on
    Spark, whose listagg (collect_list) keeps no order: array_sort there. -#}
{% macro sorted_listagg(measure, delimiter_text) -%}
    {{ return(adapter.dispatch('sorted_listagg', 'funnel_warehouse')(measure, delimiter_text)) }}
{%- endmacro %}

{% macro default__sorted_listagg(measure, delimiter_text) -%}
    {{ dbt.listagg(measure, delimiter_text, 'order by ' ~ measure) }}
{%- endmacro %}

{% macro spark__sorted_listagg(measure, delimiter_text) -%}
    array_join(array_sort(collect_list({{ measure }})), {{ delimiter_text }})
{%- endmacro %}
