{#- Incremental strategy `replace_entities` (DuckDB, PostgreSQL): replace every row of each
    changed entity. The model's incremental select returns, for each changed entity (its key in
    the config unique_key: one column, or a list of columns), all of the entity's rows
    recomputed, or, when the
    entity has no row any more, one placeholder row whose config entity_row_key column (a
    column never null in a real row) is null. Every existing row of an entity named in the new
    rows is deleted, then the new rows except the placeholders are inserted, in one
    transaction. dbt's delete+insert would keep the old rows of an entity that lost all of
    them, since it deletes only keys present among the inserted rows. -#}
{% macro get_incremental_replace_entities_sql(arg_dict) -%}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set source = arg_dict['temp_relation'] -%}
    {%- set entity_key = arg_dict['unique_key'] -%}
    {%- set row_key = config.get('entity_row_key') -%}
    {%- if not entity_key or not row_key -%}
        {{ exceptions.raise_compiler_error(
            "replace_entities needs unique_key (the entity key: a column or a list of columns) "
            ~ "and entity_row_key (a column never null in a real row) in the config of " ~ target
        ) }}
    {%- endif -%}
    {%- set keys = ([entity_key] if entity_key is string else entity_key) | join(', ') -%}
    {%- set columns = get_quoted_csv(arg_dict['dest_columns'] | map(attribute='name')) -%}
    delete from {{ target }}
    where ({{ keys }}) in (select {{ keys }} from {{ source }});

    insert into {{ target }} ({{ columns }})
    select {{ columns }}
    from {{ source }}
    where {{ row_key }} is not null
{%- endmacro %}
