{#- Keep one row per partition_by key from an append-only raw relation: the first by
    order_by, then by the lineage columns (_loaded_at, _source_file, _source_line, all
    descending), so the latest version wins and exact duplicates (the same record landed in
    two files) collapse deterministically to the copy loaded last. Returns a select of every
    column of the relation plus _version_rank (always 1): select the columns you need.

    Every order_by term without its own nulls first/last gets `nulls last` (DuckDB's default
    for both directions; PostgreSQL puts nulls first in a descending order, Spark in an
    ascending one), so a null sorts after every value on every engine.

    keys_loaded_after: for an incremental model, a SQL timestamp; only keys with at least one
    row loaded after it are returned, each still ranked over all its versions (old and new), so
    a late-landed older version never wins over a newer one already loaded. Several
    partition_by expressions are compared as a row value. -#}
{% macro latest_version(relation, partition_by, order_by=[], keys_loaded_after=none) -%}
    {%- set partition_by = [partition_by] if partition_by is string else partition_by -%}
    {%- set order_by = [order_by] if order_by is string else order_by -%}
    {%- set order_by = order_by + ['_loaded_at desc', '_source_file desc', '_source_line desc'] -%}
    {%- set ordered = [] -%}
    {%- for term in order_by -%}
        {%- set words = term | lower | replace('\n', ' ') | trim -%}
        {%- if words.endswith('nulls last') or words.endswith('nulls first') -%}
            {%- do ordered.append(term) -%}
        {%- else -%}
            {%- do ordered.append(term ~ ' nulls last') -%}
        {%- endif -%}
    {%- endfor -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ partition_by | join(', ') }}
                order by {{ ordered | join(', ') }}
            ) as _version_rank
        from {{ relation }}
        {%- if keys_loaded_after is not none %}
        where ({{ partition_by | join(', ') }}) in (
            select {{ partition_by | join(', ') }}
            from {{ relation }}
            where _loaded_at > {{ keys_loaded_after }}
        )
        {%- endif %}
    ) as ranked_versions
    where _version_rank = 1
{%- endmacro %}
