{#- Salesforce leads in the shape of stg_crm__leads (deleted leads left out; they stay in
    stg_salesforce__leads with is_deleted). -#}

with

stg_salesforce__leads as (

    select * from {{ ref('stg_salesforce__leads') }}

)

select
    lead_id,
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

from stg_salesforce__leads
where not is_deleted
