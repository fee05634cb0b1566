{#- Fails with one row per cohort in which more entities reached a later funnel stage than an
    earlier one (along the order of seeds/funnel_stages.csv): the cohort and its reached count
    at every stage. cohort_column: the cohort (e.g. cohort_month); column_pattern: a stage's
    milestone column, {stage} standing for its stage_key (an entity reached the stage when the
    column is not null). -#}
{% test reached_counts_non_increasing(model, cohort_column, column_pattern='reached_{stage}_at') %}

{%- set stage_keys = funnel_ordered_stage_keys() %}

with

count_reached as (

    select
        {{ cohort_column }} as cohort,
        {%- for stage_key in stage_keys %}
        count({{ column_pattern | replace('{stage}', stage_key) }}) as reached_{{ loop.index }}_{{ stage_key }},
        {%- endfor %}
        count(*) as entity_count

    from {{ model }}
    group by {{ cohort_column }}

),

increasing_counts as (

    select * from count_reached
    where
    {%- if stage_keys | length < 2 %}
        1 = 0
    {%- else %}
        {%- for stage_key in stage_keys[1:] %}
        {%- set previous = stage_keys[loop.index0] %}
        reached_{{ loop.index + 1 }}_{{ stage_key }} > reached_{{ loop.index }}_{{ previous }}
        {%- if not loop.last %} or{% endif %}
        {%- endfor %}
    {%- endif %}

)

select * from increasing_counts

{% endtest %}
