with

fct_funnel as (

    select * from {{ ref('fct_funnel') }}

),

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

list_ordered_stages as (

    select
        stage_key,
        stage_order

    from funnel_stages
    where stage_order is not null

),

assign_segments as (

    select
        cohort_month,
        funnel_entity_type,
        channel,
        acquisition_source,
        acquisition_campaign,
        furthest_stage_order,
        is_open,
        is_won,
        is_lost,
        is_stalled

    from fct_funnel

),

{# The segment's key is hashed once per segment and stage (a few thousand rows), not once
    per entity. -#}
{%- set segment_key = surrogate_key([
    'cohort_month', 'funnel_entity_type', 'channel', 'acquisition_source', 'acquisition_campaign',
]) %}
list_segments as (

    select
        {{ segment_key }} as segment_id,
        cohort_month,
        funnel_entity_type,
        channel,
        acquisition_source,
        acquisition_campaign

    from (
        select distinct
            cohort_month,
            funnel_entity_type,
            channel,
            acquisition_source,
            acquisition_campaign

        from assign_segments
    ) as distinct_segments

),

count_by_segment_and_stage as (

    select
        assign_segments.cohort_month,
        assign_segments.funnel_entity_type,
        assign_segments.channel,
        assign_segments.acquisition_source,
        assign_segments.acquisition_campaign,
        list_ordered_stages.stage_key,
        count(*) as reached_count,
        sum(case when assign_segments.furthest_stage_order = list_ordered_stages.stage_order then 1 else 0 end)
            as furthest_stage_count,
        sum(
            case
                when assign_segments.furthest_stage_order = list_ordered_stages.stage_order
                    and assign_segments.is_won
                    then 1
                else 0
            end
        ) as won_count,
        sum(
            case
                when assign_segments.furthest_stage_order = list_ordered_stages.stage_order
                    and assign_segments.is_lost
                    then 1
                else 0
            end
        ) as lost_count,
        sum(
            case
                when assign_segments.furthest_stage_order = list_ordered_stages.stage_order
                    and assign_segments.is_stalled
                    then 1
                else 0
            end
        ) as stalled_count,
        sum(
            case
                when assign_segments.furthest_stage_order = list_ordered_stages.stage_order
                    and assign_segments.is_open
                    and not assign_segments.is_stalled
                    then 1
                else 0
            end
        ) as active_count

    from assign_segments
    inner join list_ordered_stages
        on assign_segments.furthest_stage_order >= list_ordered_stages.stage_order
    group by
        assign_segments.cohort_month,
        assign_segments.funnel_entity_type,
        assign_segments.channel,
        assign_segments.acquisition_source,
        assign_segments.acquisition_campaign,
        list_ordered_stages.stage_key

),

count_by_stage as (

    select
        {{ segment_key }} as segment_id,
        stage_key,
        reached_count,
        furthest_stage_count,
        won_count,
        lost_count,
        stalled_count,
        active_count

    from count_by_segment_and_stage

),

spread_segments_over_stages as (

    select
        list_segments.*,
        list_ordered_stages.stage_key,
        list_ordered_stages.stage_order

    from list_segments
    cross join list_ordered_stages

),

join_counts as (

    select
        spread_segments_over_stages.cohort_month,
        spread_segments_over_stages.funnel_entity_type,
        spread_segments_over_stages.channel,
        spread_segments_over_stages.acquisition_source,
        spread_segments_over_stages.acquisition_campaign,
        spread_segments_over_stages.stage_key,
        spread_segments_over_stages.stage_order,
        coalesce(count_by_stage.reached_count, 0) as reached_count,
        coalesce(count_by_stage.furthest_stage_count, 0) as furthest_stage_count,
        coalesce(count_by_stage.won_count, 0) as won_count,
        coalesce(count_by_stage.lost_count, 0) as lost_count,
        coalesce(count_by_stage.stalled_count, 0) as stalled_count,
        coalesce(count_by_stage.active_count, 0) as active_count

    from spread_segments_over_stages
    left join count_by_stage
        on spread_segments_over_stages.segment_id = count_by_stage.segment_id
        and spread_segments_over_stages.stage_key = count_by_stage.stage_key

),

compute_drop_off as (

    select
        *,
        lost_count + stalled_count as dropped_off_count,
        {{ safe_divide('lost_count + stalled_count', 'reached_count') }} as drop_off_rate,
        {{ var('stalled_after_days') }} as stalled_after_days,
        {{ as_of_date() }} as as_of_date

    from join_counts

)

select * from compute_drop_off
