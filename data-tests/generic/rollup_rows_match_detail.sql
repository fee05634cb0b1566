{#- Fails with one row per rollup row whose measures differ from the sums of the detail rows
    it rolls up (or per group of detail rows with no rollup row, or a rollup row with no detail
    rows). level_column tells the rows apart: rows with detail_level are the detail; for every
    other level listed in rollups, its value is the list of columns the detail rows are grouped
    by (null-safe: a null group value matches a null; the groups are joined on one text key,
    group_values, as PostgreSQL runs a full join only on plain equalities). measure_columns are
    additive (counts, amounts) and must match exactly. -#}
{% test rollup_rows_match_detail(model, level_column, detail_level, rollups, measure_columns) %}

with

{%- for level, group_columns in rollups.items() %}

{%- set group_parts = [] %}
{%- for column in group_columns %}
{%- do group_parts.append("coalesce(cast(" ~ column ~ " as " ~ dbt.type_string() ~ "), 'null')") %}
{%- if not loop.last %}{%- do group_parts.append("'|'") %}{%- endif %}
{%- endfor %}

sum_detail_{{ loop.index }} as (

    select
        {{ dbt.concat(group_parts) }} as group_values,
        {%- for measure in measure_columns %}
        sum({{ measure }}) as {{ measure }}{{ "," if not loop.last }}
        {%- endfor %}

    from {{ model }}
    where {{ level_column }} = '{{ detail_level }}'
    group by {{ group_columns | join(', ') }}

),

list_rollup_{{ loop.index }} as (

    select
        {{ dbt.concat(group_parts) }} as group_values,
        {%- for measure in measure_columns %}
        {{ measure }}{{ "," if not loop.last }}
        {%- endfor %}

    from {{ model }}
    where {{ level_column }} = '{{ level }}'

),

compare_{{ loop.index }} as (

    select
        '{{ level }}' as rollup_level,
        {%- set outer_index = loop.index %}
        coalesce(sum_detail_{{ outer_index }}.group_values, list_rollup_{{ outer_index }}.group_values) as group_values,
        {%- for measure in measure_columns %}
        sum_detail_{{ outer_index }}.{{ measure }} as detail_{{ measure }},
        list_rollup_{{ outer_index }}.{{ measure }} as rollup_{{ measure }}{{ "," if not loop.last }}
        {%- endfor %}

    from sum_detail_{{ loop.index }}
    full outer join list_rollup_{{ loop.index }}
        on sum_detail_{{ outer_index }}.group_values = list_rollup_{{ outer_index }}.group_values
    where
        {%- for measure in measure_columns %}
        {{ "or " if not loop.first }}sum_detail_{{ outer_index }}.{{ measure }} is null
        or list_rollup_{{ outer_index }}.{{ measure }} is null
        or sum_detail_{{ outer_index }}.{{ measure }} <> list_rollup_{{ outer_index }}.{{ measure }}
        {%- endfor %}

){{ "," if not loop.last }}
{%- endfor %}

{%- for level in rollups %}

select
    rollup_level,
    group_values,
    {%- for measure in measure_columns %}
    detail_{{ measure }},
    rollup_{{ measure }}{{ "," if not loop.last }}
    {%- endfor %}
from compare_{{ loop.index }}
{%- if not loop.last %}

union all
{%- endif %}
{%- endfor %}

{% endtest %}
