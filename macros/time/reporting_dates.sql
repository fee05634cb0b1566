{#- The reporting-time-zone date of a UTC timestamp column: which day an event falls in for
    var('reporting_timezone'). Timestamps are stored as UTC without a zone; with the default
    'UTC' this is a plain cast on every engine (no time-zone extension needed). -#}
{% macro to_reporting_date(column_name) -%}
    {%- set timezone = var('reporting_timezone', 'UTC') | trim -%}
    {%- if timezone | upper in ('UTC', 'ETC/UTC', 'GMT', 'Z') -%}
        cast({{ column_name }} as date)
    {%- else -%}
        {{ return(adapter.dispatch('to_reporting_date', 'funnel_warehouse')(column_name, timezone)) }}
    {%- endif -%}
{%- endmacro %}

{#- Snowflake, Databricks / Spark (convert_timezone from UTC to the reporting zone) -#}
{% macro default__to_reporting_date(column_name, timezone) -%}
    cast(convert_timezone('UTC', '{{ timezone }}', {{ column_name }}) as date)
{%- endmacro %}

{#- DuckDB (ICU): read the naive timestamp as UTC, then take the wall clock of the zone -#}
{% macro duckdb__to_reporting_date(column_name, timezone) -%}
    cast(timezone('{{ timezone }}', timezone('UTC', {{ column_name }})) as date)
{%- endmacro %}

{% macro postgres__to_reporting_date(column_name, timezone) -%}
    cast(({{ column_name }} at time zone 'UTC') at time zone '{{ timezone }}' as date)
{%- endmacro %}

{% macro bigquery__to_reporting_date(column_name, timezone) -%}
    date({{ column_name }}, '{{ timezone }}')
{%- endmacro %}


{#- The build's "now" as a UTC timestamp: the end of var('as_of_date') (midnight after it)
    when that var is set, else the end of the UTC day the dbt invocation started on. Ages and
    durations of open spells are measured up to it, so two builds on the same day give
    identical marts. -#}
{% macro as_of_timestamp() -%}
    {%- set as_of = var('as_of_date', none) -%}
    {%- if as_of is none or (as_of | string | trim) in ('', 'none', 'None', 'null') -%}
        cast({{ dbt.dateadd('day', 1, 'cast(' ~ invocation_started_at() ~ ' as date)') }} as {{ dbt.type_timestamp() }})
    {%- else -%}
        cast({{ dbt.dateadd('day', 1, "cast('" ~ (as_of | string | trim) ~ "' as date)") }} as {{ dbt.type_timestamp() }})
    {%- endif -%}
{%- endmacro %}


{#- The build's "today" as a date: var('as_of_date') when set, else the date in the reporting
    time zone when the dbt invocation started. -#}
{% macro as_of_date() -%}
    {%- set as_of = var('as_of_date', none) -%}
    {%- if as_of is none or (as_of | string | trim) in ('', 'none', 'None', 'null') -%}
        {{ to_reporting_date(invocation_started_at()) }}
    {%- else -%}
        cast('{{ as_of | string | trim }}' as date)
    {%- endif -%}
{%- endmacro %}


{#- When this dbt invocation started (dbt's run_started_at, UTC), as a timestamp literal: the
    same in every model of one build, so a build that runs across midnight measures every mart
    to the same day (the database's current_timestamp, read by each model as it runs, would
    not). -#}
{% macro invocation_started_at() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
