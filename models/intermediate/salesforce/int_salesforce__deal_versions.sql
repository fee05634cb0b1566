{#- Salesforce opportunities (every distinct version of each opportunity) in the shape of stg_crm__deal_versions: the lead
    from int_salesforce__deal_leads (the lead converted into the opportunity, else the lead
    converted into its primary contact), the stage mapped through the CRM's
    own stage dictionary (int_salesforce__deal_stages). Opportunity has no account name or
    domain: those of its Account, else of the lead it was converted from (Lead.Company,
    Lead.Website). -#}

with

stg_salesforce__opportunity_versions as (

    select * from {{ ref('stg_salesforce__opportunity_versions') }}

),

int_salesforce__deal_leads as (

    select * from {{ ref('int_salesforce__deal_leads') }}

),

int_salesforce__deal_stages as (

    select * from {{ ref('int_salesforce__deal_stages') }}

),

stg_salesforce__accounts as (

    select * from {{ ref('stg_salesforce__accounts') }}

)

select
    stg_salesforce__opportunity_versions.deal_id,
    int_salesforce__deal_leads.lead_id,
    stg_salesforce__opportunity_versions.account_id,
    stg_salesforce__opportunity_versions.owner_id,
    stg_salesforce__opportunity_versions.source_system,
    stg_salesforce__opportunity_versions.stage_label,
    stg_salesforce__opportunity_versions.currency,
    stg_salesforce__opportunity_versions.deal_name,
    coalesce(stg_salesforce__accounts.account_name, int_salesforce__deal_leads.company_name)
        as account_name,
    coalesce(stg_salesforce__accounts.account_domain, int_salesforce__deal_leads.company_domain)
        as account_domain,
    stg_salesforce__opportunity_versions.amount,
    stg_salesforce__opportunity_versions.is_deleted,
    stg_salesforce__opportunity_versions.expected_close_date,
    stg_salesforce__opportunity_versions.created_at,
    stg_salesforce__opportunity_versions.updated_at,
    stg_salesforce__opportunity_versions.updated_at as valid_from,
    int_salesforce__deal_stages.stage_key,
    coalesce(int_salesforce__deal_stages.is_stage_mapped, false) as is_stage_mapped,
    coalesce(int_salesforce__deal_stages.is_in_dictionary, false) as is_stage_in_dictionary

from stg_salesforce__opportunity_versions
left join int_salesforce__deal_leads
    on stg_salesforce__opportunity_versions.deal_id = int_salesforce__deal_leads.deal_id
left join int_salesforce__deal_stages
    on stg_salesforce__opportunity_versions.stage_label = int_salesforce__deal_stages.stage_label
left join stg_salesforce__accounts
    on stg_salesforce__opportunity_versions.account_id = stg_salesforce__accounts.account_id
