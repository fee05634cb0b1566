{#- The build's "today" for the revenue models, as a date: var('as_of_date') when it is set,
    else the current date (UTC). MRR months run up to the last complete month before it. -#}
{% macro revenue_as_of_date() -%}
    {%- set as_of = var('as_of_date', none) -%}
    {%- if as_of is none or (as_of | string | trim) == '' -%}
        cast({{ dbt.current_timestamp() }} as date)
    {%- else -%}
        cast('{{ as_of }}' as date)
    {%- endif -%}
{%- endmacro %}
