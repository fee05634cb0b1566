{#- The `view` materialization on DuckDB, in one statement: `create or replace view ... as`
    inside the model's transaction (issue 17, less fixed cost), as the project's `table`
    (macros/materializations/table.sql). dbt's default creates the view under a temporary
    name, renames the old one to a backup, renames the new one in, commits and drops the
    backup. A table of the same name (a model that was a table) is dropped first; a
    `sql_header` runs before the statement. Contracts, grants and persisted docs, unused here,
    are refused by name. PostgreSQL and Spark keep their adapters' own `view`. -#}
{% materialization view, adapter='duckdb' %}
    {%- set unsupported = [] -%}
    {%- if (model['config'].get('contract') or {}).get('enforced') -%}{%- do unsupported.append('contract') -%}{%- endif -%}
    {%- if (config.get('persist_docs') or {}).values() | select | list -%}{%- do unsupported.append('persist_docs') -%}{%- endif -%}
    {%- if config.get('grants') -%}{%- do unsupported.append('grants') -%}{%- endif -%}
    {%- if unsupported -%}
        {{ exceptions.raise_compiler_error(
            "the project's DuckDB view materialization (macros/materializations/view.sql) does "
            ~ "not support " ~ (unsupported | join(', ')) ~ ", configured on " ~ this
        ) }}
    {%- endif -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type='view') -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- if existing_relation is not none and not existing_relation.is_view %}
        {{ drop_relation_if_exists(existing_relation) }}
    {%- endif %}

    {% call statement('main') -%}
        {{ config.get('sql_header') or '' }}
        create or replace view {{ target_relation }} as (
            {{ sql }}
        )
    {%- endcall %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
