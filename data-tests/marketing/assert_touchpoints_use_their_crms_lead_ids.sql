-- A web touchpoint names its lead by the id of the CRM that keeps the lead. When the leads live in
-- a native CRM (Salesforce, HubSpot), var('touchpoints_lead_system') must name it, so the
-- touchpoints' lead ids get the same prefix as the conformed leads; otherwise no touchpoint
-- finds its lead and every attribution mart is silently empty. Returns one row per touchpoint
-- whose lead id matches no conformed lead but would match one under another setting of the var:
-- with the native prefix added (var not set for a native CRM), or with the var's prefix taken
-- away (var set, but the touchpoints carry canonical lead ids). Touchpoints of leads not landed
-- (yet) match no lead either way and pass.

with

stg_web__touchpoints as (

    select * from {{ ref('stg_web__touchpoints') }}

),

int_conformed__leads as (

    select * from {{ ref('int_conformed__leads') }}

),

find_unmatched as (

    select
        stg_web__touchpoints.touchpoint_id,
        stg_web__touchpoints.lead_id

    from stg_web__touchpoints
    left join int_conformed__leads
        on stg_web__touchpoints.lead_id = int_conformed__leads.lead_id
    where stg_web__touchpoints.lead_id is not null
        and int_conformed__leads.lead_id is null

),

list_candidates as (

    {#- the lead id each unmatched touchpoint would carry under another setting of the var; the
        first member (its own id) matches nothing by definition and keeps the union valid -#}
    select
        touchpoint_id,
        lead_id,
        lead_id as candidate_lead_id
    from find_unmatched
    {%- for system in active_native_systems('native_crm_systems') %}
    union all
    select
        touchpoint_id,
        lead_id,
        {{ dbt.concat(["'" ~ system ~ ":'", "lead_id"]) }} as candidate_lead_id
    from find_unmatched
    {%- endfor %}
    {%- if var('touchpoints_lead_system', '') %}
    union all
    select
        touchpoint_id,
        lead_id,
        {{ dbt.split_part('lead_id', "'" ~ var('touchpoints_lead_system') ~ ":'", 2) }}
            as candidate_lead_id
    from find_unmatched
    {%- endif %}

),

find_misconfigured as (

    select
        list_candidates.touchpoint_id,
        list_candidates.lead_id as touchpoint_lead_id,
        int_conformed__leads.lead_id as matching_lead_id,
        int_conformed__leads.source_system as matching_lead_system,
        '{{ var("touchpoints_lead_system", "") }}' as touchpoints_lead_system

    from list_candidates
    inner join int_conformed__leads
        on list_candidates.candidate_lead_id = int_conformed__leads.lead_id

)

select * from find_misconfigured
