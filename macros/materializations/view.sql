{#- The `view` materialization on DuckDB, in one statement: `create or replace view ... as`
    inside the model's transaction (issue 17, less fixed cost), as the project's `table`
    (macros/materializations/table.sql). dbt's default creates the view under a temporary
    name, renames the old one to a backup, renames the new one in, commits and drops the
    backup. A table of the same name (a model that was a table) is dropped first; a
    `sql_header` runs before the statement. Contracts, grants and persisted docs, unused here,
    are refused by name. PostgreSQL and Spark keep their adapters' own `view`. -#}
{% materialization view, adapter='duckdb' %}
    {{ return(replace_in_one_statement(
        'view', sql, pre_hooks, post_hooks, unsupported_options=['grants']
    )) }}
{% endmaterialization %}
