{#- Union member of int_conformed__leads: one row per HubSpot contact that is a lead (not merged
    into another contact, not deleted), in the columns of stg_crm__leads. -#}

with

stg_hubspot__contacts as (

    select * from {{ ref('stg_hubspot__contacts') }}

),

int_hubspot__contact_merges as (

    select * from {{ ref('int_hubspot__contact_merges') }}

),

flag_contacts as (

    select
        stg_hubspot__contacts.*,
        coalesce(int_hubspot__contact_merges.is_merged, false) as is_merged

    from stg_hubspot__contacts
    left join int_hubspot__contact_merges
        on stg_hubspot__contacts.hubspot_contact_id = int_hubspot__contact_merges.hubspot_contact_id

)

select
    contact_id as lead_id,
    owner_id,
    source_system,
    lead_source,
    lead_medium,
    lead_campaign,
    email_hash,
    email_domain,
    company_domain,
    company_name,
    industry,
    country,
    job_title,
    company_size,
    has_phone,
    created_at,
    updated_at

from flag_contacts
where not is_merged
    and not is_deleted
