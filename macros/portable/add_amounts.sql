{#- The sum of money amounts (decimal(38, 9) in the warehouse) given as SQL expressions, each
    with its sign ('+' or '-'), exact to the 9 decimal places every amount keeps. DuckDB and
    PostgreSQL add decimals exactly; Spark cuts a decimal(38, 9) + decimal(38, 9) to 6 decimal
    places (its result would pass precision 38), so spark__ narrows each term to
    decimal(28, 9) first (amounts below 10^19), whose sum of a few terms keeps 9 places. -#}
{% macro add_amounts(terms) -%}
    {{ return(adapter.dispatch('add_amounts', 'funnel_warehouse')(terms)) }}
{%- endmacro %}

{% macro default__add_amounts(terms) -%}
    {%- for sign, term in terms -%}
        {{ ' ' ~ sign ~ ' ' if not loop.first or sign == '-' else '' }}{{ term }}
    {%- endfor -%}
{%- endmacro %}

{% macro spark__add_amounts(terms) -%}
    {%- for sign, term in terms -%}
        {{ ' ' ~ sign ~ ' ' if not loop.first or sign == '-' else '' }}cast({{ term }} as decimal(28, 9))
    {%- endfor -%}
{%- endmacro %}
