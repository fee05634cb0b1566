{#- The period grains of the sales marts reported by period (win_rate_by_period,
    sales_cycle_by_period, deal_slippage_by_period): month and quarter, in that order. -#}
{% macro sales_period_grains() -%}
    {{ return(['month', 'quarter']) }}
{%- endmacro %}
