{#- The key values of a relation that occur more than once: one row per duplicated key, its
    key columns (aliased as key_names) and how many rows carry it (count_name). The shared body
    of the unique and unique_combination_of_columns tests. Dispatched: default__ groups by the
    key; duckdb__ first groups by a 64-bit hash of the key, which is much cheaper than grouping
    by long text keys (fct_attribution_credits' unique test at L: 7.3 s as a plain group by,
    2.4 s with the hash), then groups by the key only the rows whose hash occurs more than once.
    Exact: equal keys have equal hashes, so every duplicated key passes the first step, and the
    second step drops the rare distinct keys whose hashes collide. -#}
{% macro duplicated_keys(relation, key_expressions, key_names, count_name, where=none) -%}
    {{ return(adapter.dispatch('duplicated_keys', 'funnel_warehouse')(relation, key_expressions, key_names, count_name, where)) }}
{%- endmacro %}

{% macro default__duplicated_keys(relation, key_expressions, key_names, count_name, where=none) -%}
select
    {%- for expression in key_expressions %}
    {{ expression }} as {{ key_names[loop.index0] }},
    {%- endfor %}
    count(*) as {{ count_name }}

from {{ relation }}
{%- if where %}
where {{ where }}
{%- endif %}
group by {{ key_expressions | join(', ') }}
having count(*) > 1
{%- endmacro %}

{% macro duckdb__duplicated_keys(relation, key_expressions, key_names, count_name, where=none) -%}
{%- set key_hash = 'hash(' ~ (key_expressions | join(', ')) ~ ')' -%}
{%- set hash_repeats = key_hash ~ ' in (select find_duplicated_hashes.key_hash from find_duplicated_hashes)' -%}
with

find_duplicated_hashes as (

    select {{ key_hash }} as key_hash

    from {{ relation }}
    {%- if where %}
    where {{ where }}
    {%- endif %}
    group by {{ key_hash }}
    having count(*) > 1

),

find_duplicated_keys as (

    {{ default__duplicated_keys(
        relation, key_expressions, key_names, count_name,
        where=hash_repeats ~ (' and (' ~ where ~ ')' if where else '')
    ) | indent(4) }}

)

select * from find_duplicated_keys
{%- endmacro %}

{#- dbt's built-in unique test on DuckDB (dispatched from dbt's test_unique; this project's
    macro is found before dbt's default): the same rows (unique_field, n_records), through
    duplicated_keys' hash step. -#}
{% macro duckdb__test_unique(model, column_name) -%}
{{ duplicated_keys(model, [column_name], ['unique_field'], 'n_records', where=column_name ~ ' is not null') }}
{%- endmacro %}
