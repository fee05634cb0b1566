{#- The body of the project's DuckDB `table` and `view` materializations (table.sql, view.sql):
    refuse what they do not support, drop a relation of the model's name and of the other kind,
    then `create or replace <kind> ... as` the model's SQL inside its transaction, with the
    model's hooks around it, and commit. Returns the materialization's result. -#}
{% macro replace_in_one_statement(kind, sql, pre_hooks, post_hooks, unsupported_options) %}
    {%- set unsupported = [] -%}
    {%- if (model['config'].get('contract') or {}).get('enforced') -%}{%- do unsupported.append('contract') -%}{%- endif -%}
    {%- if (config.get('persist_docs') or {}).values() | select | list -%}{%- do unsupported.append('persist_docs') -%}{%- endif -%}
    {%- for option in unsupported_options if config.get(option) -%}
        {%- do unsupported.append(option) -%}
    {%- endfor -%}
    {%- if model['language'] != 'sql' -%}{%- do unsupported.append(model['language'] ~ ' models') -%}{%- endif -%}
    {%- if unsupported -%}
        {{ exceptions.raise_compiler_error(
            "the project's DuckDB " ~ kind ~ " materialization (macros/materializations/) does "
            ~ "not support " ~ (unsupported | join(', ')) ~ ", configured on " ~ this
        ) }}
    {%- endif -%}
    {%- set existing_relation = load_cached_relation(this) -%}
    {%- set target_relation = this.incorporate(type=kind) -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- if existing_relation is not none and existing_relation.type != kind %}
        {{ drop_relation_if_exists(existing_relation) }}
    {%- endif %}

    {% call statement('main') -%}
        {{ config.get('sql_header') or '' }}
        create or replace {{ kind }} {{ target_relation }} as (
            {{ sql }}
        )
    {%- endcall %}

    {{ run_hooks(post_hooks, inside_transaction=True) }}
    {{ adapter.commit() }}
    {{ run_hooks(post_hooks, inside_transaction=False) }}

    {{ return({'relations': [target_relation]}) }}
{% endmacro %}
