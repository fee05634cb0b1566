{#- First day of the period_grain (week, month, quarter) that contains the date expression,
    as a date. Weeks start on Monday on DuckDB and Postgres. -#}
{% macro period_start(period_grain, date_expression) -%}
    cast({{ dbt.date_trunc(period_grain, date_expression) }} as date)
{%- endmacro %}


{#- Last day (inclusive) of the period_grain that starts on the date expression period_start. -#}
{% macro period_end(period_grain, period_start) -%}
    {#- a quarter is added as three months: PostgreSQL has no interval '1 quarter' -#}
    {%- if period_grain == 'quarter' -%}
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 3, period_start)) }} as date)
    {%- else -%}
        cast({{ dbt.dateadd('day', -1, dbt.dateadd(period_grain, 1, period_start)) }} as date)
    {%- endif -%}
{%- endmacro %}


{#- The day after a date expression, as a date. -#}
{% macro next_day(date_expression) -%}
    cast({{ dbt.dateadd('day', 1, date_expression) }} as date)
{%- endmacro %}
