with

fct_funnel as (

    select * from {{ ref('fct_funnel') }}

),

int_funnel_milestones as (

    select * from {{ ref('int_funnel_milestones') }}

),

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

list_ordered_stages as (

    select
        stage_key,
        stage_order,
        lead(stage_key) over (order by stage_order) as next_stage_key,
        min(stage_order) over () as first_stage_order

    from funnel_stages
    where stage_order is not null

),

assign_cohorts as (

    {%- for cohort_grain in ['week', 'month'] %}

    select
        '{{ cohort_grain }}' as cohort_grain,
        cohort_{{ cohort_grain }} as cohort_start_date,
        {{ period_end(cohort_grain, 'cohort_' ~ cohort_grain) }} as cohort_end_date,
        funnel_entity_type,
        funnel_entity_id,
        channel,
        acquisition_source,
        acquisition_campaign

    from fct_funnel
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

{# The segment's key is hashed once per segment and stage (a few thousand rows), not once
    per entity: at L the md5 of 2M cohort rows was 40 % of this model's time. -#}
{%- set segment_key = surrogate_key([
    'cohort_grain', 'cohort_start_date', 'funnel_entity_type', 'channel', 'acquisition_source',
    'acquisition_campaign',
]) %}
list_segments as (

    select
        {{ segment_key }} as segment_id,
        cohort_grain,
        cohort_start_date,
        cohort_end_date,
        funnel_entity_type,
        channel,
        acquisition_source,
        acquisition_campaign,
        count(*) as cohort_entity_count

    from assign_cohorts
    group by
        cohort_grain,
        cohort_start_date,
        cohort_end_date,
        funnel_entity_type,
        channel,
        acquisition_source,
        acquisition_campaign

),

count_reached_by_segment as (

    select
        assign_cohorts.cohort_grain,
        assign_cohorts.cohort_start_date,
        assign_cohorts.funnel_entity_type,
        assign_cohorts.channel,
        assign_cohorts.acquisition_source,
        assign_cohorts.acquisition_campaign,
        int_funnel_milestones.stage_key,
        count(*) as reached_count,
        sum(case when int_funnel_milestones.is_implied then 1 else 0 end) as reached_implied_count

    from assign_cohorts
    inner join int_funnel_milestones
        on assign_cohorts.funnel_entity_type = int_funnel_milestones.funnel_entity_type
        and assign_cohorts.funnel_entity_id = int_funnel_milestones.funnel_entity_id
    group by
        assign_cohorts.cohort_grain,
        assign_cohorts.cohort_start_date,
        assign_cohorts.funnel_entity_type,
        assign_cohorts.channel,
        assign_cohorts.acquisition_source,
        assign_cohorts.acquisition_campaign,
        int_funnel_milestones.stage_key

),

count_reached as (

    select
        {{ segment_key }} as segment_id,
        stage_key,
        reached_count,
        reached_implied_count

    from count_reached_by_segment

),

spread_segments_over_stages as (

    select
        list_segments.*,
        list_ordered_stages.stage_key,
        list_ordered_stages.stage_order,
        list_ordered_stages.next_stage_key,
        list_ordered_stages.first_stage_order

    from list_segments
    cross join list_ordered_stages

),

join_counts as (

    select
        spread_segments_over_stages.*,
        coalesce(reached.reached_count, 0) as reached_count,
        coalesce(reached.reached_implied_count, 0) as reached_implied_count,
        case
            when spread_segments_over_stages.next_stage_key is not null
                then coalesce(converted.reached_count, 0)
        end as converted_count,
        coalesce(entered.reached_count, 0) as first_stage_reached_count

    from spread_segments_over_stages
    left join count_reached as reached
        on spread_segments_over_stages.segment_id = reached.segment_id
        and spread_segments_over_stages.stage_key = reached.stage_key
    left join count_reached as converted
        on spread_segments_over_stages.segment_id = converted.segment_id
        and spread_segments_over_stages.next_stage_key = converted.stage_key
    left join list_ordered_stages as first_stage
        on spread_segments_over_stages.first_stage_order = first_stage.stage_order
    left join count_reached as entered
        on spread_segments_over_stages.segment_id = entered.segment_id
        and first_stage.stage_key = entered.stage_key

),

compute_rates as (

    select
        cohort_grain,
        cohort_start_date,
        cohort_end_date,
        funnel_entity_type,
        channel,
        acquisition_source,
        acquisition_campaign,
        stage_key,
        stage_order,
        next_stage_key,
        cohort_entity_count,
        first_stage_reached_count,
        reached_count,
        reached_implied_count,
        converted_count,
        {{ safe_divide('converted_count', 'reached_count') }} as step_conversion_rate,
        {{ safe_divide('reached_count', 'first_stage_reached_count') }} as cumulative_conversion_rate,
        {{ as_of_date() }} as as_of_date

    from join_counts

),

measure_cohort_age as (

    select
        *,
        {{ dbt.datediff('cohort_start_date', 'as_of_date', 'day') }} as cohort_age_days,
        cohort_end_date < as_of_date as is_cohort_closed

    from compute_rates

)

select * from measure_cohort_age
