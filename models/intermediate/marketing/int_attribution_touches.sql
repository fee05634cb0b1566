{#- Incremental on DuckDB and PostgreSQL (replace_entities by lead, macros/versioning/): a
    night recomputes only the leads whose rows can have changed, and replaces all their rows.
    A lead's rows are a function of its plausible touchpoints (channel_mapping, a seed) and its
    milestones alone, so a lead is recomputed when (the rule the model docs state):
      1. a touchpoint of it was loaded after the newest touch_loaded_at already here (a new
         touchpoint or a new version of one; stg_web__touchpoints keeps the latest version);
      2. a touchpoint so loaded was here under it (the touchpoint moved to another lead, lost
         its lead, or is no longer plausible);
      3. a touchpoint of it is dated on or after the build's as-of date: only such dates can
         enter or leave the plausible window (as-of date + 1 year) from one build to the next;
      4. its milestones that have a touch at or before them (reached_at >= its first plausible
         touch) differ from those here (int_funnel_milestones holds every funnel entity's
         milestones of tonight: a new or deleted deal, a status change, a lead's own changes
         all show there).
    A lead in none of the four has the same touches and the same touched milestones, so the
    same rows. Seed, var and SQL changes are fingerprinted to force a full refresh (issue 17
    item 2).
    Measured against the table form in BENCHMARKS.md ("Entity-level incremental models").
    On Spark a table (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_entities',
    unique_key='funnel_entity_id',
    entity_row_key='touchpoint_id',
    on_schema_change='fail',
) }}

with

stg_web__touchpoints as (

    select * from {{ ref('stg_web__touchpoints') }}
    where {{ within_plausible_dates('touchpoints') }}

),

int_funnel_milestones as (

    select * from {{ ref('int_funnel_milestones') }}

),

list_lead_touches as (

    select
        touchpoint_id,
        lead_id,
        touch_source,
        touch_medium,
        touch_campaign,
        keyword,
        touch_type,
        occurred_at,
        loaded_at as touch_loaded_at

    from stg_web__touchpoints
    where lead_id is not null

),

{% if is_incremental() -%}
find_new_touchpoints as (

    select
        touchpoint_id,
        lead_id

    from {{ ref('stg_web__touchpoints') }}
    where loaded_at > {{ incremental_watermark('touch_loaded_at') }}

),

find_first_touches as (

    select
        lead_id,
        min(occurred_at) as first_occurred_at

    from list_lead_touches
    group by lead_id

),

list_touched_milestones as (

    select
        int_funnel_milestones.funnel_entity_id,
        int_funnel_milestones.stage_key,
        int_funnel_milestones.stage_order,
        int_funnel_milestones.reached_at

    from int_funnel_milestones
    inner join find_first_touches
        on int_funnel_milestones.funnel_entity_type = 'lead'
        and int_funnel_milestones.funnel_entity_id = find_first_touches.lead_id
        and int_funnel_milestones.reached_at >= find_first_touches.first_occurred_at

),

list_built_milestones as (

    select distinct
        funnel_entity_id,
        stage_key,
        stage_order,
        reached_at

    from {{ this }}

),

find_changed_leads as (

    select lead_id from find_new_touchpoints
    where lead_id is not null

    union

    select built.funnel_entity_id as lead_id
    from {{ this }} as built
    inner join find_new_touchpoints
        on built.touchpoint_id = find_new_touchpoints.touchpoint_id

    union

    select lead_id from {{ ref('stg_web__touchpoints') }}
    where lead_id is not null
        and cast(occurred_at as date) >= {{ as_of_date() }}

    union

    {{ keys_of_differing_rows(
        'list_touched_milestones', 'list_built_milestones', 'funnel_entity_id', 'lead_id'
    ) }}

),

{% endif -%}
select_lead_touches as (

    select * from list_lead_touches
    {%- if is_incremental() %}
    where lead_id in (select changed_leads.lead_id from find_changed_leads as changed_leads)
    {%- endif %}

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
        track_last_non_direct_touches.occurred_at,
        track_last_non_direct_touches.touch_loaded_at

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

{# In a night, every changed lead: one without any row left keeps one row of nulls (a null
    touchpoint_id), so the replace_entities strategy deletes its old rows and inserts none. #}
cover_changed_leads as (

    {% if is_incremental() -%}
    select
        find_last_non_direct_touches.*,
        find_changed_leads.lead_id as replaced_lead_id

    from find_changed_leads
    left join find_last_non_direct_touches
        on find_changed_leads.lead_id = find_last_non_direct_touches.funnel_entity_id
    {%- else -%}
    select
        *,
        funnel_entity_id as replaced_lead_id

    from find_last_non_direct_touches
    {%- endif %}

),

{# The key is (funnel_entity_type, funnel_entity_id, stage_key, touchpoint_id), not a surrogate
    column: nothing joins on one, and at L its md5 over 5.6M touches was written with every
    full build. #}
finalise as (

    select

        ----------  ids
        funnel_entity_type,
        replaced_lead_id as funnel_entity_id,
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
        reached_at,
        touch_loaded_at

    from cover_changed_leads

)

select * from finalise
