{#- One row per HubSpot deal: the lead it came from and its account. Lead: the deal's primary
    associated contact, else its earliest associated contact (by the contact's creation, then
    id), resolved through contact merges; a deal with no associated contact is sales-sourced
    (lead_id null, has_contact = false). Account: the primary associated company, else the
    lowest company id. -#}

with

stg_hubspot__deals as (

    select * from {{ ref('stg_hubspot__deals') }}

),

stg_hubspot__deal_contacts as (

    select * from {{ ref('stg_hubspot__deal_contacts') }}

),

stg_hubspot__deal_companies as (

    select * from {{ ref('stg_hubspot__deal_companies') }}

),

stg_hubspot__contacts as (

    select * from {{ ref('stg_hubspot__contacts') }}

),

stg_hubspot__companies as (

    select * from {{ ref('stg_hubspot__companies') }}

),

int_hubspot__contact_merges as (

    select * from {{ ref('int_hubspot__contact_merges') }}

),

rank_contacts as (

    select
        stg_hubspot__deal_contacts.deal_id,
        int_hubspot__contact_merges.lead_id,
        count(*) over (partition by stg_hubspot__deal_contacts.deal_id) as contact_count,
        row_number() over (
            partition by stg_hubspot__deal_contacts.deal_id
            order by
                case when stg_hubspot__deal_contacts.is_primary then 0 else 1 end,
                stg_hubspot__contacts.created_at nulls last,
                stg_hubspot__deal_contacts.hubspot_contact_id
        ) as contact_rank

    from stg_hubspot__deal_contacts
    inner join int_hubspot__contact_merges
        on stg_hubspot__deal_contacts.hubspot_contact_id = int_hubspot__contact_merges.hubspot_contact_id
    left join stg_hubspot__contacts
        on stg_hubspot__deal_contacts.hubspot_contact_id = stg_hubspot__contacts.hubspot_contact_id

),

rank_companies as (

    select
        stg_hubspot__deal_companies.deal_id,
        stg_hubspot__companies.account_id,
        stg_hubspot__companies.account_name,
        stg_hubspot__companies.account_domain,
        row_number() over (
            partition by stg_hubspot__deal_companies.deal_id
            order by
                case when stg_hubspot__deal_companies.is_primary then 0 else 1 end,
                stg_hubspot__deal_companies.hubspot_company_id
        ) as company_rank

    from stg_hubspot__deal_companies
    inner join stg_hubspot__companies
        on stg_hubspot__deal_companies.hubspot_company_id = stg_hubspot__companies.hubspot_company_id

)

select
    stg_hubspot__deals.deal_id,
    rank_contacts.lead_id,
    rank_companies.account_id,
    rank_companies.account_name,
    rank_companies.account_domain,
    coalesce(rank_contacts.contact_count, 0) as contact_count,
    rank_contacts.lead_id is not null as has_contact

from stg_hubspot__deals
left join rank_contacts
    on stg_hubspot__deals.deal_id = rank_contacts.deal_id
    and rank_contacts.contact_rank = 1
left join rank_companies
    on stg_hubspot__deals.deal_id = rank_companies.deal_id
    and rank_companies.company_rank = 1
