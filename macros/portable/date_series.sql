{#- A set-returning select-list expression: one row per date_part (day or month) from
    start_date to end_date, both included; no row when a bound is null or end_date is before
    start_date. The one calendar macro of the project (int_sales_pipeline_days,
    int_revenue_months, int_salesforce__fx_rates, metricflow_time_spine). Use it alone in the
    select list of a subquery and cast the column to date outside it (Spark allows no
    generator inside another expression):
        select cast(spine_value as date) as day
        from (select {{ date_series('day', 'first_day', 'last_day') }} as spine_value from bounds) as spine
    A month series needs a start_date on the first of a month. Dispatched (namespace
    funnel_warehouse): DuckDB unnest(generate_series), PostgreSQL generate_series, Spark
    explode(sequence). -#}
{% macro date_series(date_part, start_date, end_date) -%}
    {%- if date_part not in ['day', 'month'] -%}
        {{ exceptions.raise_compiler_error("date_series: date_part must be day or month, not " ~ date_part) }}
    {%- endif -%}
    {{ return(adapter.dispatch('date_series', 'funnel_warehouse')(date_part, start_date, end_date)) }}
{%- endmacro %}

{% macro default__date_series(date_part, start_date, end_date) -%}
    {{ exceptions.raise_compiler_error(
        "date_series has no implementation for the " ~ target.type ~ " adapter: add "
        ~ target.type ~ "__date_series in macros/portable/date_series.sql"
    ) }}
{%- endmacro %}

{% macro duckdb__date_series(date_part, start_date, end_date) -%}
    unnest(generate_series(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 {{ date_part }}))
{%- endmacro %}

{% macro postgres__date_series(date_part, start_date, end_date) -%}
    generate_series(cast({{ start_date }} as timestamp), cast({{ end_date }} as timestamp), interval '1 {{ date_part }}')
{%- endmacro %}

{#- Spark's sequence fails when the end is before the start: null (no row) then. -#}
{% macro spark__date_series(date_part, start_date, end_date) -%}
    explode(
        case
            when cast({{ start_date }} as date) <= cast({{ end_date }} as date)
                then sequence(cast({{ start_date }} as date), cast({{ end_date }} as date), interval 1 {{ date_part }})
        end
    )
{%- endmacro %}
