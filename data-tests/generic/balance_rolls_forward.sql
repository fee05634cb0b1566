{#- Fails with one row per period whose balance does not roll forward: ending_column differs
    from starting_column + sum(additions) - sum(subtractions) by more than tolerance, or (when
    period_column is given) starting_column differs from the previous period's ending_column
    (the first period must start at 0). Portable SQL: window lag only. -#}
{% test balance_rolls_forward(model, starting_column, ending_column, additions=[], subtractions=[], period_column=none, tolerance=0.000001) %}

{%- set expected_ending -%}
    {{ starting_column }}
    {%- for column in additions %} + {{ column }}{% endfor -%}
    {%- for column in subtractions %} - {{ column }}{% endfor -%}
{%- endset %}

with

compute_expected_balances as (

    select
        {% if period_column %}{{ period_column }} as period,{% endif %}
        {{ starting_column }} as starting_balance,
        {{ ending_column }} as ending_balance,
        {{ expected_ending }} as expected_ending_balance
        {%- if period_column %},
        coalesce(
            lag({{ ending_column }}) over (order by {{ period_column }}),
            0
        ) as previous_ending_balance
        {%- endif %}

    from {{ model }}

),

find_breaks as (

    select *

    from compute_expected_balances
    where abs(ending_balance - expected_ending_balance) > {{ tolerance }}
        {%- if period_column %}
        or abs(starting_balance - previous_ending_balance) > {{ tolerance }}
        {%- endif %}

)

select * from find_breaks

{% endtest %}
