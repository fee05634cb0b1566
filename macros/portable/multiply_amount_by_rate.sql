{#- amount * rate for a money amount and an fx rate, both decimal(38, 9) in the warehouse,
    exact to the 9 decimal places every amount keeps. DuckDB and PostgreSQL multiply decimals
    exactly; Spark cuts a decimal product whose precision passes 38 to 6 decimal places
    (decimal(38, 9) x decimal(38, 9)), so spark__ narrows the operands first to
    decimal(28, 9) x decimal(18, 9) (amounts below 10^19, rates below 10^9), whose product
    keeps 9 places. -#}
{% macro multiply_amount_by_rate(amount, rate) -%}
    {{ return(adapter.dispatch('multiply_amount_by_rate', 'funnel_warehouse')(amount, rate)) }}
{%- endmacro %}

{% macro default__multiply_amount_by_rate(amount, rate) -%}
    {{ amount }} * {{ rate }}
{%- endmacro %}

{% macro spark__multiply_amount_by_rate(amount, rate) -%}
    cast({{ amount }} as decimal(28, 9)) * cast({{ rate }} as decimal(18, 9))
{%- endmacro %}
