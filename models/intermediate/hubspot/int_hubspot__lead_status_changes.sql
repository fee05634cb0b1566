{#- Union member of int_conformed__lead_status_changes: one row per change of a contact's
    lifecycle stage or lead status (hs_lead_status), on the lead the contact now belongs to
    (merged contacts resolved). Lifecycle stages that deals carry (var
    hubspot_deal_lifecycle_stages: opportunity, customer, ...) are read from the deal pipeline
    instead; an hs_lead_status value counts only when seeds/crm_stage_labels.csv maps it (a lead
    status is a sales-activity status, not a funnel stage, unless mapped), while an unmapped
    lifecycle stage keeps its row and fails all_stage_labels_mapped. -#}

with

stg_hubspot__contact_property_history as (

    select * from {{ ref('stg_hubspot__contact_property_history') }}

),

int_hubspot__contact_merges as (

    select * from {{ ref('int_hubspot__contact_merges') }}

),

select_status_changes as (

    select
        stg_hubspot__contact_property_history.contact_property_change_id as lead_status_change_id,
        int_hubspot__contact_merges.lead_id,
        'hubspot' as source_system,
        stg_hubspot__contact_property_history.property_value as status_label,
        stg_hubspot__contact_property_history.property_name,
        stg_hubspot__contact_property_history.source_file,
        stg_hubspot__contact_property_history.source_line,
        stg_hubspot__contact_property_history.changed_at

    from stg_hubspot__contact_property_history
    inner join int_hubspot__contact_merges
        on stg_hubspot__contact_property_history.hubspot_contact_id
        = int_hubspot__contact_merges.hubspot_contact_id
    where stg_hubspot__contact_property_history.property_name in ('lifecyclestage', 'hs_lead_status')
        and stg_hubspot__contact_property_history.property_value is not null
        and not (
            stg_hubspot__contact_property_history.property_name = 'lifecyclestage'
            and lower(stg_hubspot__contact_property_history.property_value) in (
                {%- for stage in var('hubspot_deal_lifecycle_stages') %}
                '{{ stage | lower }}'{{ ',' if not loop.last }}
                {%- endfor %}
            )
        )

),

mapped as (

    {{ map_stage_labels('select_status_changes', 'lead', label_column='status_label') }}

)

select
    lead_status_change_id,
    lead_id,
    source_system,
    status_label,
    source_file,
    source_line,
    changed_at,
    stage_key,
    is_stage_mapped,
    property_name

from mapped
where property_name = 'lifecyclestage' or is_stage_mapped
