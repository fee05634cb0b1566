{#- The lowercased part of an e-mail address after its last '@'; null when there is none. -#}
{% macro email_domain(column_name) -%}
    {%- set email = "lower(" ~ trim_whitespace(column_name) ~ ")" -%}
    case
        when {{ dbt.position("'@'", email) }} > 0
            then nullif({{ dbt.split_part(email, "'@'", -1) }}, '')
    end
{%- endmacro %}
