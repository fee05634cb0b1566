{#- Every checked date outside the plausible-date window, one row per (entity, row, column).
    The entities, their models, keys and date columns come from plausible_date_entities(), the
    same list within_plausible_dates() filters by, so the flag and the filter agree. -#}
{%- set entities = plausible_date_entities() -%}

with

{% for entity, spec in entities | dictsort -%}
{{ entity }} as (

    select * from {{ ref(spec['model']) }}

),

{% endfor -%}

list_implausible_dates as (

    {% for entity, spec in entities | dictsort -%}
    {%- set outer_last = loop.last -%}
    {%- for column in spec['columns'] %}
    select
        '{{ entity }}' as entity,
        '{{ spec["model"] }}' as model_name,
        cast({{ spec['key'] }} as {{ dbt.type_string() }}) as record_key,
        '{{ column }}' as column_name,
        cast({{ column }} as {{ dbt.type_string() }}) as column_value

    from {{ entity }}
    where not {{ is_plausible_date(column) }}
    {% if not (outer_last and loop.last) %}
    union all
    {% endif -%}
    {%- endfor %}
    {%- endfor %}

),

add_window as (

    select
        entity,
        model_name,
        record_key,
        column_name,
        column_value,
        {{ plausible_date_from() }} as plausible_date_from,
        {{ plausible_date_to() }} as plausible_date_to

    from list_implausible_dates

)

select * from add_window
