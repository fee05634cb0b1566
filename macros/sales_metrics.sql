{#- numerator / denominator as a fraction, null when the denominator is 0 or null (never an
    error, never integer division: the numerator is multiplied by 1.0 first). -#}
{% macro sales_safe_divide(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else ({{ numerator }}) * 1.0 / ({{ denominator }})
    end
{%- endmacro %}


{#- The continuous percentile (linear interpolation between the two nearest values, as
    percentile_cont) of expression within the group, fraction in [0, 1]: 0.5 is the median.
    Dispatched (namespace funnel_warehouse); the default is the SQL-standard ordered-set
    aggregate, which DuckDB, Postgres, Snowflake, Redshift and Databricks accept. -#}
{% macro sales_percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('sales_percentile', 'funnel_warehouse')(expression, fraction)) }}
{%- endmacro %}

{% macro default__sales_percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}


{#- First day of the period_grain (week, month, quarter) that contains the date expression,
    as a date. Weeks start on Monday on DuckDB and Postgres. -#}
{% macro sales_period_start(period_grain, date_expression) -%}
    cast({{ dbt.date_trunc(period_grain, date_expression) }} as date)
{%- endmacro %}


{#- Last day (inclusive) of the period_grain that starts on the date expression period_start. -#}
{% macro sales_period_end(period_grain, period_start) -%}
    cast({{ dbt.dateadd('day', -1, dbt.dateadd(period_grain, 1, period_start)) }} as date)
{%- endmacro %}


{#- The day after a date expression, as a date. -#}
{% macro sales_next_day(date_expression) -%}
    cast({{ dbt.dateadd('day', 1, date_expression) }} as date)
{%- endmacro %}
