with

stg_web__touchpoints as (

    select * from {{ ref('stg_web__touchpoints') }}

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
        partition_by='touchpoint_id',
        source_column='touch_source',
        medium_column='touch_medium',
    ) }}

),

match_touches_to_milestones as (

    select
        int_funnel_milestones.funnel_entity_type,
        int_funnel_milestones.funnel_entity_id,
        int_funnel_milestones.stage_key,
        int_funnel_milestones.stage_order,
        int_funnel_milestones.reached_at,
        map_channels.touchpoint_id,
        map_channels.channel,
        map_channels.touch_source,
        map_channels.touch_medium,
        map_channels.touch_campaign,
        map_channels.keyword,
        map_channels.touch_type,
        map_channels.channel = '{{ attribution_direct_channel() }}' as is_direct,
        map_channels.occurred_at

    from int_funnel_milestones
    inner join map_channels
        on int_funnel_milestones.funnel_entity_type = 'lead'
        and int_funnel_milestones.funnel_entity_id = map_channels.lead_id
        and map_channels.occurred_at <= int_funnel_milestones.reached_at

),

number_touches as (

    select
        *,
        row_number() over (
            partition by funnel_entity_type, funnel_entity_id, stage_key
            order by occurred_at, touchpoint_id
        ) as touch_position,
        count(*) over (
            partition by funnel_entity_type, funnel_entity_id, stage_key
        ) as touch_count

    from match_touches_to_milestones

),

find_last_non_direct_touches as (

    select
        *,
        max(case when not is_direct then touch_position end) over (
            partition by funnel_entity_type, funnel_entity_id, stage_key
        ) as last_non_direct_position

    from number_touches

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
