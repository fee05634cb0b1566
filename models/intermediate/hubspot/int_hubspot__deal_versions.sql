{#- Union member of int_conformed__deal_versions: one row per distinct HubSpot deal version, in the columns of stg_crm__deal_versions: the lead and account
    from int_hubspot__deal_links, the stage label and funnel key from the stage dictionary
    (int_hubspot__deal_stages). -#}

with

deal_versions as (

    select * from {{ ref('stg_hubspot__deal_versions') }}

),

int_hubspot__deal_links as (

    select * from {{ ref('int_hubspot__deal_links') }}

),

int_hubspot__deal_stages as (

    select * from {{ ref('int_hubspot__deal_stages') }}

)

select
    deal_versions.deal_id,
    int_hubspot__deal_links.lead_id,
    int_hubspot__deal_links.account_id,
    deal_versions.owner_id,
    deal_versions.source_system,
    int_hubspot__deal_stages.stage_label,
    deal_versions.currency,
    deal_versions.deal_name,
    int_hubspot__deal_links.account_name,
    int_hubspot__deal_links.account_domain,
    deal_versions.amount,
    deal_versions.is_deleted,
    deal_versions.expected_close_date,
    deal_versions.created_at,
    deal_versions.updated_at,
    deal_versions.valid_from,
    int_hubspot__deal_stages.stage_key,
    coalesce(int_hubspot__deal_stages.is_stage_mapped, false) as is_stage_mapped,
    deal_versions.pipeline_id,
    deal_versions.stage_id,
    coalesce(int_hubspot__deal_stages.is_in_dictionary, false) as is_stage_in_dictionary,
    coalesce(int_hubspot__deal_links.has_contact, false) as has_contact

from deal_versions
left join int_hubspot__deal_links
    on deal_versions.deal_id = int_hubspot__deal_links.deal_id
left join int_hubspot__deal_stages
    on deal_versions.stage_id = int_hubspot__deal_stages.stage_id
