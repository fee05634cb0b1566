{#- For an incremental model: SQL giving the newest value of column already in the model
    (1900-01-01 when it is empty). Fails with a clear message, instead of a binder error, when
    the existing table lacks the column (built by an older version of the model): such a table
    needs one `funnel build --full-refresh`. Call it only when is_incremental(). -#}
{% macro incremental_watermark(column='loaded_at') -%}
    {%- if execute -%}
        {%- set existing = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
        {%- if column | lower not in existing -%}
            {{ exceptions.raise_compiler_error(
                this ~ " has no column " ~ column ~ ": it was built by an older version of the "
                ~ "model. Rebuild it once with `funnel build --full-refresh` (or dbt build "
                ~ "--full-refresh --select " ~ this.identifier ~ ")."
            ) }}
        {%- endif -%}
    {%- endif -%}
    (select coalesce(max({{ column }}), cast('1900-01-01' as {{ dbt.type_timestamp() }})) from {{ this }})
{%- endmacro %}
