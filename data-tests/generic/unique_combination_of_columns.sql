{#- Fails with one row per combination of the given columns (or expressions) that occurs
    more than once, with how many times it occurs (duplicated_keys: on DuckDB through a hash
    of the columns first). -#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

{#- the columns are named as given; an expression (e.g. lower(trim(label))) as key_<n> -#}
{%- set key_names = [] %}
{%- for column in combination_of_columns %}
    {%- do key_names.append(column if modules.re.match('^[A-Za-z_][A-Za-z0-9_]*$', column) else 'key_' ~ loop.index) %}
{%- endfor %}

{{ duplicated_keys(model, combination_of_columns, key_names, 'row_count') }}

{% endtest %}
