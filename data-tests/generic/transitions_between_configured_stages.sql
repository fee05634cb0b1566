{#- Fails with every transition that does not move between two stages configured in
    seeds/funnel_stages.csv, with the problem named: a to-stage that is not configured, a
    from-stage that is not configured (a null from-stage is an entity's entry and passes), or
    a "transition" that stays in the same stage. -#}
{% test transitions_between_configured_stages(model, from_stage_column='from_stage_key', to_stage_column='to_stage_key') %}

with

model_rows as (

    select * from {{ model }}

),

funnel_stages as (

    select stage_key from {{ ref('funnel_stages') }}

),

check_transitions as (

    select
        model_rows.*,
        case
            when to_stages.stage_key is null then 'to-stage is not a configured funnel stage'
            when model_rows.{{ from_stage_column }} is not null and from_stages.stage_key is null
                then 'from-stage is not a configured funnel stage'
            when model_rows.{{ from_stage_column }} = model_rows.{{ to_stage_column }}
                then 'from-stage equals to-stage'
        end as problem

    from model_rows
    left join funnel_stages as to_stages
        on model_rows.{{ to_stage_column }} = to_stages.stage_key
    left join funnel_stages as from_stages
        on model_rows.{{ from_stage_column }} = from_stages.stage_key

)

select * from check_transitions
where problem is not null

{% endtest %}
