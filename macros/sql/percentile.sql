{#- The continuous percentile (linear interpolation between the two nearest values, as
    percentile_cont) of expression within the group, fraction in [0, 1]: 0.5 is the median.
    Dispatched (namespace funnel_warehouse); the default is the SQL-standard ordered-set
    aggregate, which DuckDB, Postgres, Snowflake, Redshift and Databricks accept. -#}
{% macro percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile', 'funnel_warehouse')(expression, fraction)) }}
{%- endmacro %}

{% macro default__percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}
