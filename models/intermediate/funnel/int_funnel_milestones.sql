with

int_funnel_stage_events as (

    select * from {{ ref('int_funnel_stage_events') }}

),

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

list_ordered_events as (

    select
        funnel_entity_type,
        funnel_entity_id,
        stage_key,
        stage_order,
        changed_at

    from int_funnel_stage_events
    where is_stage_mapped
        and stage_order is not null

),

list_ordered_stages as (

    select
        stage_key,
        stage_order

    from funnel_stages
    where stage_order is not null

),

reach_stages as (

    select
        list_ordered_events.funnel_entity_type,
        list_ordered_events.funnel_entity_id,
        list_ordered_stages.stage_key,
        list_ordered_stages.stage_order,
        min(list_ordered_events.changed_at) as reached_at,
        min(
            case
                when list_ordered_events.stage_key = list_ordered_stages.stage_key
                    then list_ordered_events.changed_at
            end
        ) as first_entered_at

    from list_ordered_events
    inner join list_ordered_stages
        on list_ordered_events.stage_order >= list_ordered_stages.stage_order
    group by
        list_ordered_events.funnel_entity_type,
        list_ordered_events.funnel_entity_id,
        list_ordered_stages.stage_key,
        list_ordered_stages.stage_order

),

flag_implied_stages as (

    select
        funnel_entity_type,
        funnel_entity_id,
        stage_key,
        stage_order,
        first_entered_at is null as is_implied,
        reached_at,
        first_entered_at

    from reach_stages

)

select * from flag_implied_stages
