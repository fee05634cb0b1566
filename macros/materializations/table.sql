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
    {%- set unsupported = [] -%}
    {%- if (model['config'].get('contract') or {}).get('enforced') -%}{%- do unsupported.append('contract') -%}{%- endif -%}
    {%- if (config.get('persist_docs') or {}).values() | select | list -%}{%- do unsupported.append('persist_docs') -%}{%- endif -%}
    {%- for option in ['grants', 'indexes', 'partitioned_by', 'sorted_by'] if config.get(option) -%}
        {%- do unsupported.append(option) -%}
    {%- endfor -%}
    {%- if model['language'] != 'sql' -%}{%- do unsupported.append(model['language'] ~ ' models') -%}{%- endif -%}
    {%- if unsupported -%}
        {{ exceptions.raise_compiler_error(
            "the project's DuckDB table materialization (macros/materializations/table.sql) does "
            ~ "not support " ~ (unsupported | join(', ')) ~ ", configured on " ~ this
        ) }}
    {%- endif -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='table') -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- if existing_relation is not none and not existing_relation.is_table %}
        {{ drop_relation_if_exists(existing_relation) }}
    {%- endif %}

    {% call statement('main') -%}
        {{ config.get('sql_header') or '' }}
        create or replace table {{ target_relation }} as (
            {{ compiled_code }}
        )
    {%- endcall %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
