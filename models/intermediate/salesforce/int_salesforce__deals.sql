{#- Salesforce opportunities (the latest version of each opportunity) in the shape of stg_crm__deals: the lead
    from int_salesforce__deal_leads (the lead converted into the opportunity, else the lead
    converted into its primary contact), the stage mapped through the CRM's
    own stage dictionary (int_salesforce__deal_stages). Opportunity has no account name or
    domain: those of its Account, else of the lead it was converted from (Lead.Company,
    Lead.Website). -#}

with

stg_salesforce__opportunities as (

    select * from {{ ref('stg_salesforce__opportunities') }}

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
    stg_salesforce__opportunities.deal_id,
    int_salesforce__deal_leads.lead_id,
    stg_salesforce__opportunities.account_id,
    stg_salesforce__opportunities.owner_id,
    stg_salesforce__opportunities.source_system,
    stg_salesforce__opportunities.stage_label,
    stg_salesforce__opportunities.currency,
    stg_salesforce__opportunities.deal_name,
    coalesce(stg_salesforce__accounts.account_name, int_salesforce__deal_leads.company_name)
        as account_name,
    coalesce(stg_salesforce__accounts.account_domain, int_salesforce__deal_leads.company_domain)
        as account_domain,
    stg_salesforce__opportunities.amount,
    stg_salesforce__opportunities.is_deleted,
    stg_salesforce__opportunities.expected_close_date,
    stg_salesforce__opportunities.created_at,
    stg_salesforce__opportunities.updated_at,
    int_salesforce__deal_stages.stage_key,
    coalesce(int_salesforce__deal_stages.is_stage_mapped, false) as is_stage_mapped,
    coalesce(int_salesforce__deal_stages.is_in_dictionary, false) as is_stage_in_dictionary

from stg_salesforce__opportunities
left join int_salesforce__deal_leads
    on stg_salesforce__opportunities.deal_id = int_salesforce__deal_leads.deal_id
left join int_salesforce__deal_stages
    on stg_salesforce__opportunities.stage_label = int_salesforce__deal_stages.stage_label
left join stg_salesforce__accounts
    on stg_salesforce__opportunities.account_id = stg_salesforce__accounts.account_id
