with

stg_web__touchpoints as (

    select * from {{ ref('stg_web__touchpoints') }}
    where {{ within_plausible_dates('touchpoints') }}

),

int_funnel_milestones as (

    select * from {{ ref('int_funnel_milestones') }}

),

select_lead_touches as (

    select
        touchpoint_id,
        lead_id,
        touch_source,
        touch_medium,
        touch_campaign,
        keyword,
        touch_type,
        occurred_at

    from stg_web__touchpoints
    where lead_id is not null

),

map_channels as (

    {{ map_channel(
        'select_lead_touches',
        source_column='touch_source',
        medium_column='touch_medium',
    ) }}

),

{# A milestone's touches are the lead's touches up to the moment it was reached: a prefix of
    the lead's touches in (occurred_at, touchpoint_id) order. So a touch's position at every
    milestone is its position among all the lead's touches, and the last non-direct touch of a
    milestone is the last non-direct one seen up to the prefix's end: both are computed once
    per touch, not once per touch and milestone. -#}
number_lead_touches as (

    select
        *,
        channel = '{{ attribution_direct_channel() }}' as is_direct,
        row_number() over (
            partition by lead_id
            order by occurred_at nulls last, touchpoint_id
        ) as touch_position

    from map_channels

),

track_last_non_direct_touches as (

    select
        *,
        max(case when not is_direct then touch_position end) over (
            partition by lead_id
            order by touch_position
            rows between unbounded preceding and current row
        ) as last_non_direct_position_so_far

    from number_lead_touches

),

match_touches_to_milestones as (

    select
        int_funnel_milestones.funnel_entity_type,
        int_funnel_milestones.funnel_entity_id,
        int_funnel_milestones.stage_key,
        int_funnel_milestones.stage_order,
        int_funnel_milestones.reached_at,
        track_last_non_direct_touches.touchpoint_id,
        track_last_non_direct_touches.channel,
        track_last_non_direct_touches.touch_source,
        track_last_non_direct_touches.touch_medium,
        track_last_non_direct_touches.touch_campaign,
        track_last_non_direct_touches.keyword,
        track_last_non_direct_touches.touch_type,
        track_last_non_direct_touches.is_direct,
        track_last_non_direct_touches.touch_position,
        track_last_non_direct_touches.last_non_direct_position_so_far,
        track_last_non_direct_touches.occurred_at

    from int_funnel_milestones
    inner join track_last_non_direct_touches
        on int_funnel_milestones.funnel_entity_type = 'lead'
        and int_funnel_milestones.funnel_entity_id = track_last_non_direct_touches.lead_id
        and int_funnel_milestones.reached_at >= track_last_non_direct_touches.occurred_at

),

count_milestone_touches as (

    select
        funnel_entity_type,
        funnel_entity_id,
        stage_key,
        max(touch_position) as touch_count,
        max(last_non_direct_position_so_far) as last_non_direct_position

    from match_touches_to_milestones
    group by funnel_entity_type, funnel_entity_id, stage_key

),

find_last_non_direct_touches as (

    select
        match_touches_to_milestones.*,
        count_milestone_touches.touch_count,
        count_milestone_touches.last_non_direct_position

    from match_touches_to_milestones
    inner join count_milestone_touches
        on match_touches_to_milestones.funnel_entity_type = count_milestone_touches.funnel_entity_type
        and match_touches_to_milestones.funnel_entity_id = count_milestone_touches.funnel_entity_id
        and match_touches_to_milestones.stage_key = count_milestone_touches.stage_key

),

finalise as (

    select

        ----------  ids
        {{ surrogate_key(['funnel_entity_type', 'funnel_entity_id', 'stage_key', 'touchpoint_id']) }}
            as attribution_touch_id,
        funnel_entity_type,
        funnel_entity_id,
        touchpoint_id,

        ---------- text
        stage_key,
        channel,
        touch_source,
        touch_medium,
        touch_campaign,
        keyword,
        touch_type,

        ---------- numerics
        stage_order,
        touch_position,
        touch_count,
        last_non_direct_position,

        ---------- booleans
        is_direct,
        touch_position = 1 as is_first_touch,
        touch_position = touch_count as is_last_touch,
        touch_position = coalesce(last_non_direct_position, touch_count) as is_last_non_direct_touch,

        ---------- timestamps
        occurred_at,
        reached_at

    from find_last_non_direct_touches

)

select * from finalise
