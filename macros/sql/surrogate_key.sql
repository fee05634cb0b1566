{#- md5 of the columns cast to text and joined with '-'; a null becomes a placeholder so
    (null, 'a') and ('a', null) give different keys. Portable: dbt cross-database macros only. -#}
{% macro surrogate_key(field_list) -%}
    {%- if field_list is string -%}
        {%- set field_list = [field_list] -%}
    {%- endif -%}
    {%- set fields = [] -%}
    {%- for field in field_list -%}
        {%- do fields.append(
            "coalesce(cast(" ~ field ~ " as " ~ dbt.type_string() ~ "), '_surrogate_key_null_')"
        ) -%}
        {%- if not loop.last -%}
            {%- do fields.append("'-'") -%}
        {%- endif -%}
    {%- endfor -%}
    {{ dbt.hash(dbt.concat(fields)) }}
{%- endmacro %}
