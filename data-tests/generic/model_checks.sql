{#- The plain checks of one model in one test node (issue 17: a build's cost at small scale is
    mostly per node, about 20 ms of dbt's Python per test however small the table): its
    required columns, its keys and its columns' accepted values, instead of a not_null node per
    column, a unique or unique_combination_of_columns node per key and an accepted_values node
    per column. Fails with one row per failure: failed_check (not_null, unique or
    accepted_values), columns (the column or key it concerns), failure ('null', the duplicated
    key's values, or the value outside the set) and row_count (rows concerned). A check with a
    `where`, a `warn` severity or an option (quote: false) stays a test of its own.

    - not_null: columns that are never null. Each column with nulls is also logged ("Null
      values in <model>.<column>: n rows"), by one query that DuckDB answers from column
      statistics when no row has a null.
    - unique: keys, each a column (unique as dbt's own test: nulls are not compared) or a list
      of columns or expressions (as unique_combination_of_columns: null is a value). Through
      duplicated_keys, so on DuckDB through a hash of the key first.
    - accepted_values: a mapping column -> its values (compared as text; nulls pass, as dbt's
      accepted_values). -#}
{% test model_checks(model, not_null=[], unique=[], accepted_values={}) %}

{%- set text_type = dbt.type_string() -%}
{%- set checks = [] -%}

{%- if not_null -%}
    {%- set null_filter -%}
        {%- for column in not_null %}{{ " or " if not loop.first }}{{ column }} is null{% endfor -%}
    {%- endset -%}
    {%- set count_nulls_sql -%}
            select
            {%- for column in not_null %}
                sum(case when {{ column }} is null then 1 else 0 end) as null_rows_{{ loop.index }}
                {{- "," if not loop.last }}
            {%- endfor %}

            from {{ model }}
            where {{ null_filter }}
    {%- endset -%}
    {#- the log lines: one cheap query (on DuckDB answered from column statistics when no row
        has a null) -#}
    {%- if execute and flags.WHICH in ('test', 'build') and model.identifier is defined -%}
        {%- if adapter.get_relation(model.database, model.schema, model.identifier) is not none -%}
            {%- set null_counts = run_query(count_nulls_sql).rows[0] -%}
            {%- for column in not_null -%}
                {%- if null_counts[loop.index0] is not none and null_counts[loop.index0] > 0 -%}
                    {{ log(
                        "Null values in " ~ model.identifier ~ "." ~ column ~ ": "
                        ~ null_counts[loop.index0] ~ " rows (model_checks test)",
                        info=true
                    ) }}
                {%- endif -%}
            {%- endfor -%}
        {%- endif -%}
    {%- endif -%}
    {%- set null_check -%}
        with

        count_nulls as (

            {{ count_nulls_sql | indent(4) }}

        )

        {% for column in not_null -%}
        {{ "union all" if not loop.first }}
        select
            'not_null' as failed_check,
            '{{ column }}' as columns,
            'null' as failure,
            cast(null_rows_{{ loop.index }} as {{ dbt.type_bigint() }}) as row_count
        from count_nulls
        where null_rows_{{ loop.index }} > 0
        {% endfor %}
    {%- endset -%}
    {%- do checks.append(null_check) -%}
{%- endif -%}

{%- for key in unique -%}
    {%- set key_columns = [key] if key is string else key -%}
    {%- set key_names = [] -%}
    {%- for column in key_columns -%}
        {%- do key_names.append('key_' ~ loop.index) -%}
    {%- endfor -%}
    {%- set key_check -%}
        select
            'unique' as failed_check,
            '{{ key_columns | join(", ") | replace("'", "''") }}' as columns,
            concat_ws(
                ', '
                {%- for name in key_names %},
                coalesce(cast({{ name }} as {{ text_type }}), 'null')
                {%- endfor %}
            ) as failure,
            row_count

        from (
            {{ duplicated_keys(
                model, key_columns, key_names, 'row_count',
                where=(key_columns[0] ~ ' is not null') if key is string else none
            ) | indent(12) }}
        ) as duplicated_keys_{{ loop.index }}
    {%- endset -%}
    {%- do checks.append(key_check) -%}
{%- endfor -%}

{%- for column, values in accepted_values.items() -%}
    {%- set value_check -%}
        select
            'accepted_values' as failed_check,
            '{{ column }}' as columns,
            cast({{ column }} as {{ text_type }}) as failure,
            count(*) as row_count

        from {{ model }}
        where cast({{ column }} as {{ text_type }}) not in (
            {%- for value in values %}
            '{{ value | string | replace("'", "''") }}'{{ "," if not loop.last }}
            {%- endfor %}
        )
        group by cast({{ column }} as {{ text_type }})
    {%- endset -%}
    {%- do checks.append(value_check) -%}
{%- endfor %}

{%- if not checks -%}
    {{ exceptions.raise_compiler_error(
        "model_checks on " ~ model ~ ": give at least one of not_null, unique, accepted_values"
    ) }}
{%- endif %}

{% for check in checks %}
{{ "union all" if not loop.first }}
select * from (
    {{ check | indent(4) }}
) as check_{{ loop.index }}
{% endfor %}

{% endtest %}
