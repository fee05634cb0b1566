{#- amount * credit for a money amount (decimal(38, 9) in the warehouse) and an attribution
    credit (a share in [0, 1] with 12 decimal places), exact: the product keeps all 21 decimal
    places, so the caller's cast to decimal(38, 9) rounds once, the same on every engine.
    DuckDB and PostgreSQL multiply decimals exactly; Spark cuts a decimal product whose
    precision passes 38 to 6 decimal places (decimal(38, 9) x decimal(38, 12)), so spark__
    narrows the operands first to decimal(25, 9) x decimal(13, 12) (amounts below 10^16,
    credits below 10), a decimal(38, 21) product. -#}
{% macro multiply_amount_by_credit(amount, credit) -%}
    {{ return(adapter.dispatch('multiply_amount_by_credit', 'funnel_warehouse')(amount, credit)) }}
{%- endmacro %}

{% macro default__multiply_amount_by_credit(amount, credit) -%}
    {{ amount }} * {{ credit }}
{%- endmacro %}

{% macro spark__multiply_amount_by_credit(amount, credit) -%}
    cast({{ amount }} as decimal(25, 9)) * cast({{ credit }} as decimal(13, 12))
{%- endmacro %}
