{#- Fails with one row per (group, attribution model) whose credits do not add up to 1, and one
    row per group that lacks credits under some model. group_by: the columns of one credited
    event (e.g. entity and milestone); model_column: the attribution model; credit_column:
    the credit. tolerance: largest accepted |sum - 1|; 0 (the default) demands exactly 1,
    right for decimal credits; pass e.g. 1e-9 for floating-point credits. models: the models
    every group must have; default: every model that occurs in the table. -#}
{% test credits_sum_to_one(model, group_by, model_column='attribution_model', credit_column='credit', tolerance=0, models=none) %}

{%- set group_by = [group_by] if group_by is string else group_by %}
{%- set group_csv = group_by | join(', ') %}

with

sum_credits as (

    select
        {{ group_csv }},
        {{ model_column }} as attribution_model,
        sum({{ credit_column }}) as credit_sum

    from {{ model }}
    group by {{ group_csv }}, {{ model_column }}

),

list_expected_models as (

    {%- if models %}
    {% for expected_model in models -%}
    select '{{ expected_model }}' as attribution_model
    {% if not loop.last %}union all
    {% endif -%}
    {%- endfor %}
    {%- else %}
    select distinct {{ model_column }} as attribution_model
    from {{ model }}
    {%- endif %}

),

list_groups as (

    {#- every group has at least one row under some model, so the groups are those of
        sum_credits: no second scan of the model -#}
    select distinct {{ group_csv }}

    from sum_credits

),

find_problems as (

    select
        {{ group_csv }},
        attribution_model,
        credit_sum,
        'credits do not sum to 1' as problem

    from sum_credits
    where abs(credit_sum - 1) > {{ tolerance }}

    union all

    select
        {% for column in group_by %}list_groups.{{ column }},
        {% endfor -%}
        list_expected_models.attribution_model,
        cast(null as {{ dbt.type_numeric() }}) as credit_sum,
        'no credits under this model' as problem

    from list_groups
    cross join list_expected_models
    left join sum_credits
        on {% for column in group_by %}list_groups.{{ column }} = sum_credits.{{ column }}
        and {% endfor -%}
        list_expected_models.attribution_model = sum_credits.attribution_model
    where sum_credits.attribution_model is null

)

select * from find_problems

{% endtest %}
