{#- numerator / denominator as a fraction, null when the denominator is 0 or null (never an
    error, never integer division: the numerator is multiplied by 1.0 first). The project's
    own version of dbt's safe_divide, which divides integers as integers on some engines. -#}
{% macro safe_divide(numerator, denominator) -%}
    case
        when ({{ denominator }}) is null or ({{ denominator }}) = 0 then null
        else ({{ numerator }}) * 1.0 / ({{ denominator }})
    end
{%- endmacro %}
