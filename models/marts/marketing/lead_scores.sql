with

stg_crm__leads as (

    select * from {{ ref('int_conformed__leads') }}
    where {{ within_plausible_dates('leads') }}

),

int_marketing_lead_attributes as (

    select * from {{ ref('int_marketing_lead_attributes') }}

),

int_marketing_lead_points as (

    select * from {{ ref('int_marketing_lead_points') }}

),

fct_funnel as (

    select * from {{ ref('fct_funnel') }}

),

lead_score_bands as (

    select * from {{ ref('lead_score_bands') }}

),

score_leads as (

    select
        stg_crm__leads.lead_id,
        stg_crm__leads.created_at,
        coalesce(int_marketing_lead_points.lead_score, 0) as lead_score,
        coalesce(int_marketing_lead_points.matched_rule_count, 0) as matched_rule_count,
        int_marketing_lead_points.matched_rules

    from stg_crm__leads
    left join int_marketing_lead_points
        on stg_crm__leads.lead_id = int_marketing_lead_points.lead_id

),

assign_bands as (

    select
        score_leads.*,
        lead_score_bands.score_band,
        lead_score_bands.band_order

    from score_leads
    left join lead_score_bands
        on (lead_score_bands.min_score is null or score_leads.lead_score >= lead_score_bands.min_score)
        and (lead_score_bands.max_score is null or score_leads.lead_score < lead_score_bands.max_score)

),

add_outcomes as (

    select

        ----------  ids
        assign_bands.lead_id,

        ---------- text
        assign_bands.score_band,
        assign_bands.matched_rules,
        int_marketing_lead_attributes.channel,
        int_marketing_lead_attributes.conversion_touch_type,
        stg_crm__leads.industry,
        stg_crm__leads.job_title,
        stg_crm__leads.country,
        fct_funnel.furthest_stage_key,

        ---------- numerics
        assign_bands.lead_score,
        assign_bands.band_order,
        assign_bands.matched_rule_count,
        stg_crm__leads.company_size,
        cast(int_marketing_lead_attributes.touch_count as {{ dbt.type_int() }}) as touch_count,
        fct_funnel.won_amount_reporting,

        ---------- booleans
        stg_crm__leads.has_phone,
        fct_funnel.reached_mql_at is not null as has_reached_mql,
        fct_funnel.reached_sql_at is not null as has_reached_sql,
        fct_funnel.reached_opportunity_at is not null as has_reached_opportunity,
        fct_funnel.reached_won_at is not null as has_reached_won,
        coalesce(fct_funnel.is_won, false) as is_won,

        ---------- dates
        fct_funnel.cohort_month,

        ---------- timestamps
        assign_bands.created_at

    from assign_bands
    inner join stg_crm__leads
        on assign_bands.lead_id = stg_crm__leads.lead_id
    left join int_marketing_lead_attributes
        on assign_bands.lead_id = int_marketing_lead_attributes.lead_id
    left join fct_funnel
        on fct_funnel.funnel_entity_type = 'lead'
        and assign_bands.lead_id = fct_funnel.funnel_entity_id

)

select * from add_outcomes
