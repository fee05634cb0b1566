{#- One row per date outside the plausible-date window (int_implausible_dates); when run by
    dbt test / build it also logs one line per row, so the failure names each. Severity:
    var('plausible_date_severity'), default error (README "Bad input" says why). -#}
{{ config(severity=var('plausible_date_severity', 'error')) }}

{%- if execute and flags.WHICH in ('test', 'build') -%}
    {%- set flagged = ref('int_implausible_dates') -%}
    {%- set relation = adapter.get_relation(flagged.database, flagged.schema, flagged.identifier) -%}
    {%- if relation is not none -%}
        {%- set found = run_query(
            'select entity, record_key, column_name, column_value, plausible_date_from, plausible_date_to from '
            ~ relation ~ ' order by 1, 2, 3, 4 limit 201'
        ) -%}
        {%- for row in found.rows[:200] -%}
            {{ log(
                "Implausible date in " ~ row[0] ~ " " ~ row[1] ~ ": " ~ row[2] ~ " = " ~ row[3]
                ~ " (outside " ~ row[4] ~ " .. " ~ row[5] ~ "); the row is left out of every mart.",
                info=true
            ) }}
        {%- endfor -%}
        {%- if found.rows | length > 200 -%}
            {{ log("... and more implausible dates: select * from " ~ relation, info=true) }}
        {%- endif -%}
    {%- endif -%}
{%- endif %}

with

int_implausible_dates as (

    select * from {{ ref('int_implausible_dates') }}

)

select * from int_implausible_dates
