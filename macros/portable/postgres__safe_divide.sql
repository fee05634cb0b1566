{#- PostgreSQL implementation of safe_divide: divide as doubles, as DuckDB does (its decimal
    division gives a double) and spark__safe_divide does, so a rate is the same number and the
    same type (double precision) on every engine; PostgreSQL's numeric division would give an
    unconstrained numeric with engine-specific digits. -#}
{% macro postgres__safe_divide(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else cast({{ numerator }} as double precision) / cast({{ denominator }} as double precision)
    end
{%- endmacro %}
