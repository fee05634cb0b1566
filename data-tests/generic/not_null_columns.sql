{#- Fails when any of the given columns is null: one test node per model instead of one
    not_null node per column (issue 17: fewer nodes, less fixed cost per build). Returns one row
    per failing row: null_columns (the names of its null columns, comma-separated) followed by
    every column of the row. When run by dbt test / build it also logs one line per column with
    nulls and how many rows ("Null values in <model>.<column>: <n> rows"), so the failure names
    the column as the per-column not_null test's name did; those counts are only computed when
    some row has a null. -#}
{% test not_null_columns(model, column_names) %}

{#- whether any row has a null: on DuckDB answered from the column statistics without a scan
    when there is none (fct_attribution_credits at L: 0.00 s against 0.9 s for the counts) -#}
{%- set any_null_sql -%}
    select count(*) from {{ model }}
    where
    {%- for column in column_names %}
        {{ "or " if not loop.first }}{{ column }} is null
    {%- endfor %}
{%- endset -%}
{%- set null_counts_sql -%}
    select
    {%- for column in column_names %}
        sum(case when {{ column }} is null then 1 else 0 end) as null_rows_{{ loop.index }}
        {{- "," if not loop.last }}
    {%- endfor %}
    from {{ model }}
{%- endset -%}

{#- model is a relation, or a subquery string when the test has a `where` config -#}
{%- if execute and flags.WHICH in ('test', 'build') -%}
    {%- set model_name = model.identifier if model.identifier is defined else 'the model' -%}
    {%- set relation = adapter.get_relation(model.database, model.schema, model.identifier)
        if model.identifier is defined else model -%}
    {%- if relation is not none and run_query(any_null_sql).rows[0][0] > 0 -%}
        {%- set null_counts = run_query(null_counts_sql) -%}
        {%- for column in column_names -%}
            {%- set null_rows = null_counts.rows[0][loop.index0] -%}
            {%- if null_rows is not none and null_rows > 0 -%}
                {{ log(
                    "Null values in " ~ model_name ~ "." ~ column ~ ": " ~ null_rows
                    ~ " rows (not_null_columns test)",
                    info=true
                ) }}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
{%- endif %}

with

rows_with_nulls as (

    select
        concat_ws(
            ', '
            {%- for column in column_names %},
            case when {{ column }} is null then '{{ column }}' end
            {%- endfor %}
        ) as null_columns,
        *

    from {{ model }}
    where
        {%- for column in column_names %}
        {{ "or " if not loop.first }}{{ column }} is null
        {%- endfor %}

)

select * from rows_with_nulls

{% endtest %}
