{#- A calendar: a whole select (the body of a CTE) giving one row per date_part (day or
    month) from start_date to end_date, both included, as a date column named column_name,
    for each row of bounds (a CTE with one row holding both bounds). No row when a bound is
    null or end_date is before start_date. Wraps date_series (the set-returning expression,
    dispatched per engine) in the subquery every engine accepts:
        list_days as ( {{ date_spine('day', 'first_day', 'last_day', 'find_day_range', 'pipeline_date') }} )
    A month calendar needs a start_date on the first of a month. Not dbt's dbt.date_spine
    (which takes no bounds relation and excludes the end date). -#}
{% macro date_spine(date_part, start_date, end_date, bounds, column_name) -%}
    select cast(spine_value as date) as {{ column_name }}
    from (
        select {{ date_series(date_part, start_date, end_date) }} as spine_value
        from {{ bounds }}
    ) as spine_values
{%- endmacro %}
