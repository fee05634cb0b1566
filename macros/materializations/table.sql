{#- The `table` materialization on DuckDB, in one statement: `create or replace table ... as`
    inside the model's transaction (issue 17, less fixed cost). dbt-duckdb's own builds the
    table under a temporary name, renames the old one to a backup, renames the new one in,
    commits and drops the backup, asking DuckDB for the database list, the constraints and the
    indexes on the way; its Jinja and those statements were most of a small model's time. The
    result is the same table, replaced atomically at the commit. What this project does not
    use is refused by name: Python models, contracts (so foreign keys), grants, persisted docs,
    indexes and DuckLake partitioning (a model configuring any of them fails with a compilation
    error rather than being built without it). A view of the same name (a model that was a
    view) is dropped first; a `sql_header` runs before the statement. PostgreSQL and Spark keep
    their adapters' own `table`. -#}
{% materialization table, adapter='duckdb' %}
    {{ return(replace_in_one_statement(
        'table', compiled_code, pre_hooks, post_hooks, unsupported_options=['grants', 'indexes', 'partitioned_by', 'sorted_by']
    )) }}
{% endmaterialization %}
