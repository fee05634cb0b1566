{#- The number of month boundaries between two dates (second minus first), as DuckDB's and
    PostgreSQL's dbt.datediff(..., 'month') count them: (year * 12 + month) of the second minus
    that of the first, whatever the days. dbt-spark's datediff builds on months_between, which
    treats two month-end days as whole months and then adds one more for a smaller day of the
    month: 2025-07-31 to 2025-09-30 gave 3 there against 2 here, so an invoice's service
    months were spread a month too long on Spark. -#}
{% macro month_diff(first_date, second_date) -%}
    {{ return(adapter.dispatch('month_diff', 'funnel_warehouse')(first_date, second_date)) }}
{%- endmacro %}

{% macro default__month_diff(first_date, second_date) -%}
    {{ dbt.datediff(first_date, second_date, 'month') }}
{%- endmacro %}

{% macro spark__month_diff(first_date, second_date) -%}
    ((year({{ second_date }}) - year({{ first_date }})) * 12
        + month({{ second_date }}) - month({{ first_date }}))
{%- endmacro %}
