{#- Keep one row per partition_by key from an append-only raw relation: the first by
    order_by, then by the lineage columns (_loaded_at, _source_file, _source_line, all
    descending), so the latest version wins and exact duplicates (the same record landed in
    two files) collapse deterministically to the copy loaded last. Returns a select of every
    column of the relation plus _version_rank (always 1): select the columns you need. -#}
{% macro latest_version(relation, partition_by, order_by=[]) -%}
    {%- set partition_by = [partition_by] if partition_by is string else partition_by -%}
    {%- set order_by = [order_by] if order_by is string else order_by -%}
    {%- set order_by = order_by + ['_loaded_at desc', '_source_file desc', '_source_line desc'] -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ partition_by | join(', ') }}
                order by {{ order_by | join(', ') }}
            ) as _version_rank
        from {{ relation }}
    ) as ranked_versions
    where _version_rank = 1
{%- endmacro %}
