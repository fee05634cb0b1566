with

fct_funnel as (

    select * from {{ ref('fct_funnel') }}

),

keep_stalled_entities as (

    select
        funnel_entity_type,
        funnel_entity_id,
        lead_id,
        leading_deal_id,
        owner_id,
        owner_name,
        owner_team,
        deal_owner_id,
        channel,
        acquisition_source,
        acquisition_campaign,
        current_stage_key,
        current_stage_order,
        furthest_stage_key,
        furthest_stage_order,
        days_since_last_stage_change,
        {{ var('stalled_after_days') }} as stalled_after_days,
        is_sales_sourced,
        has_deal,
        cohort_date,
        cohort_month,
        {{ as_of_date() }} as as_of_date,
        created_at,
        current_stage_entered_at,
        last_stage_change_at

    from fct_funnel
    where is_stalled

)

select * from keep_stalled_entities
