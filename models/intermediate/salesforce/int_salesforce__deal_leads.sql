{#- The lead of each Salesforce opportunity (an opportunity has no lead column):
    1. the lead converted into it (Lead.ConvertedOpportunityId); several leads converted into
       one opportunity: the earliest conversion wins (then the earliest lead);
    2. else the lead converted into the opportunity's primary contact (the primary
       OpportunityContactRole's ContactId = Lead.ConvertedContactId): a lead's second and later
       opportunities, which its conversion did not create; several leads converted into that
       contact: the earliest conversion wins (then the earliest lead); several primary roles
       on one opportunity: the earliest created (then the lowest id).
    Deleted leads and deleted contact roles are left out. link_rule says which rule linked it.
    The lead's company name and domain stand for the opportunity's account when it has no
    Account row (conversion creates the Account from them). -#}

with

stg_salesforce__leads as (

    select * from {{ ref('stg_salesforce__leads') }}

),

stg_salesforce__opportunity_contact_roles as (

    select * from {{ ref('stg_salesforce__opportunity_contact_roles') }}

),

rank_conversions as (

    select
        converted_deal_id as deal_id,
        lead_id,
        converted_date,
        company_name,
        company_domain,
        row_number() over (
            partition by converted_deal_id
            order by converted_date nulls last, created_at nulls last, lead_id
        ) as conversion_rank

    from stg_salesforce__leads
    where converted_deal_id is not null
        and not is_deleted

),

rank_contact_conversions as (

    select
        converted_contact_id as contact_id,
        lead_id,
        converted_date,
        company_name,
        company_domain,
        row_number() over (
            partition by converted_contact_id
            order by converted_date nulls last, created_at nulls last, lead_id
        ) as conversion_rank

    from stg_salesforce__leads
    where converted_contact_id is not null
        and not is_deleted

),

rank_primary_contacts as (

    select
        deal_id,
        contact_id,
        row_number() over (
            partition by deal_id
            order by created_at nulls last, opportunity_contact_role_id
        ) as contact_rank

    from stg_salesforce__opportunity_contact_roles
    where is_primary
        and not is_deleted

),

converted_leads as (

    select
        deal_id,
        lead_id,
        converted_date,
        company_name,
        company_domain,
        'converted_opportunity' as link_rule

    from rank_conversions
    where conversion_rank = 1

),

contact_leads as (

    select
        rank_primary_contacts.deal_id,
        rank_contact_conversions.lead_id,
        rank_contact_conversions.converted_date,
        rank_contact_conversions.company_name,
        rank_contact_conversions.company_domain,
        'primary_contact' as link_rule

    from rank_primary_contacts
    inner join rank_contact_conversions
        on rank_primary_contacts.contact_id = rank_contact_conversions.contact_id
    left join converted_leads
        on rank_primary_contacts.deal_id = converted_leads.deal_id
    where rank_primary_contacts.contact_rank = 1
        and rank_contact_conversions.conversion_rank = 1
        and converted_leads.deal_id is null

)

select * from converted_leads

union all

select * from contact_leads
