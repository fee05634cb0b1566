{#- numerator / denominator as a fraction, null when the denominator is 0 or null (never an
    error, never integer division: the numerator is multiplied by 1.0 first). The project's
    own version of dbt's safe_divide, which divides integers as integers on some engines.
    Dispatched (namespace funnel_warehouse). -#}
{% macro safe_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('safe_divide', 'funnel_warehouse')(numerator, denominator)) }}
{%- endmacro %}

{#- DuckDB divides decimals as doubles; PostgreSQL's numeric division keeps at least 16
    significant digits. -#}
{% macro default__safe_divide(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else ({{ numerator }}) * 1.0 / ({{ denominator }})
    end
{%- endmacro %}

{#- Spark: a decimal quotient is cut to 6 decimal places once its precision passes 38 (a
    decimal(38, 9) amount over another), so divide as doubles, as DuckDB does. -#}
{% macro spark__safe_divide(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else cast({{ numerator }} as double) / cast({{ denominator }} as double)
    end
{%- endmacro %}
