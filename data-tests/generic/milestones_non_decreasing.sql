{#- Fails with every row of the model whose milestone timestamps go backwards along the funnel
    order configured in seeds/funnel_stages.csv: for consecutive ordered stages a then b, the
    row fails when b was reached (column_pattern with b not null) but a was not, or b's time
    is earlier than a's. column_pattern names a stage's milestone column, {stage} standing for
    its stage_key. A configured stage with no column fails the test with a database error
    naming the column, so a stage added to the seed cannot be silently ignored. -#}
{% test milestones_non_decreasing(model, column_pattern='reached_{stage}_at') %}

{%- set stage_keys = funnel_ordered_stage_keys() %}
{%- set columns = [] %}
{%- for stage_key in stage_keys %}
    {%- do columns.append(column_pattern | replace('{stage}', stage_key)) %}
{%- endfor %}

with

decreasing_milestones as (

    select *
    from {{ model }}
    where
    {%- if columns | length < 2 %}
        1 = 0
    {%- else %}
        {%- for column in columns[1:] %}
        {%- set previous = columns[loop.index0] %}
        ({{ column }} is not null and ({{ previous }} is null or {{ column }} < {{ previous }}))
        {%- if not loop.last %} or{% endif %}
        {%- endfor %}
    {%- endif %}

)

select * from decreasing_milestones

{% endtest %}
