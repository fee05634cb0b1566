{#- int_funnel_entity_facts (kept by funnel entity from night to night) with what changes
    without any new data: the days since the last stage change and is_stalled age with the
    as-of date, and the owner's name and team come from the owners of the night. A table
    rebuilt every night. -#}
{%- set stage_keys = funnel_stage_keys() -%}

with

int_funnel_entity_facts as (

    select * from {{ ref('int_funnel_entity_facts') }}

),

stg_crm__owners as (

    select * from {{ ref('int_conformed__owners') }}

),

add_ages as (

    select
        int_funnel_entity_facts.funnel_entity_type,
        int_funnel_entity_facts.funnel_entity_id,
        int_funnel_entity_facts.lead_id,
        int_funnel_entity_facts.latest_deal_id,
        int_funnel_entity_facts.leading_deal_id,
        int_funnel_entity_facts.owner_id,
        stg_crm__owners.owner_name,
        stg_crm__owners.team as owner_team,
        int_funnel_entity_facts.deal_owner_id,
        int_funnel_entity_facts.source_system,
        int_funnel_entity_facts.acquisition_source,
        int_funnel_entity_facts.acquisition_medium,
        int_funnel_entity_facts.acquisition_campaign,
        int_funnel_entity_facts.channel,
        int_funnel_entity_facts.current_stage_key,
        int_funnel_entity_facts.furthest_stage_key,
        int_funnel_entity_facts.current_stage_order,
        int_funnel_entity_facts.furthest_stage_order,
        int_funnel_entity_facts.deal_count,
        int_funnel_entity_facts.open_deal_count,
        int_funnel_entity_facts.won_deal_count,
        int_funnel_entity_facts.lost_deal_count,
        int_funnel_entity_facts.stage_change_count,
        int_funnel_entity_facts.skip_count,
        int_funnel_entity_facts.regression_count,
        int_funnel_entity_facts.reopen_count,
        int_funnel_entity_facts.unmapped_stage_change_count,
        int_funnel_entity_facts.stage_change_before_created_count,
        int_funnel_entity_facts.won_amount_reporting,
        {{ dbt.datediff('int_funnel_entity_facts.last_stage_change_at', as_of_timestamp(), 'day') }}
            as days_since_last_stage_change,
        int_funnel_entity_facts.is_sales_sourced,
        int_funnel_entity_facts.has_deal,
        int_funnel_entity_facts.is_open,
        int_funnel_entity_facts.is_won,
        int_funnel_entity_facts.is_lost,
        (
            int_funnel_entity_facts.is_open
            and {{ dbt.datediff('int_funnel_entity_facts.last_stage_change_at', as_of_timestamp(), 'second') }}
            > {{ var('stalled_after_days') }} * 86400
        ) as is_stalled,
        {%- for stage_key in stage_keys %}
        int_funnel_entity_facts.is_{{ stage_key }}_implied,
        {%- endfor %}
        int_funnel_entity_facts.cohort_date,
        int_funnel_entity_facts.cohort_week,
        int_funnel_entity_facts.cohort_month,
        int_funnel_entity_facts.created_at,
        {%- for stage_key in stage_keys %}
        int_funnel_entity_facts.reached_{{ stage_key }}_at,
        {%- endfor %}
        int_funnel_entity_facts.current_stage_entered_at,
        int_funnel_entity_facts.won_at,
        int_funnel_entity_facts.lost_at,
        int_funnel_entity_facts.last_stage_change_at

    from int_funnel_entity_facts
    left join stg_crm__owners
        on int_funnel_entity_facts.owner_id = stg_crm__owners.owner_id

)

select * from add_ages
