{#- The stamp an incremental model writes into the rows it (re)writes: the start of this dbt
    invocation (dbt's run_started_at, UTC) to the microsecond, as a timestamp literal. The
    models after it compare the stamps per entity with the ones they hold (a version, not a
    watermark), so a night that failed half-way is caught up by the next. -#}
{% macro rebuilt_at_stamp() -%}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}' as {{ dbt.type_timestamp() }})
{%- endmacro %}
