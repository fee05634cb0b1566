{#- HubSpot merges contacts: the surviving contact lists the ids it absorbed in
    hs_merged_object_ids (semicolon-separated), and the absorbed ids may still appear in the
    property history, in deal associations or as a contact row of an older dump. Every contact id
    seen anywhere is resolved here to the lead it now belongs to. -#}

with

stg_hubspot__contacts as (

    select * from {{ ref('stg_hubspot__contacts') }}

),

stg_hubspot__contact_property_history as (

    select * from {{ ref('stg_hubspot__contact_property_history') }}

),

stg_hubspot__deal_contacts as (

    select * from {{ ref('stg_hubspot__deal_contacts') }}

),

list_contact_ids as (

    select hubspot_contact_id from stg_hubspot__contacts

    union

    select hubspot_contact_id from stg_hubspot__contact_property_history

    union

    select hubspot_contact_id from stg_hubspot__deal_contacts

),

find_survivors as (

    select
        list_contact_ids.hubspot_contact_id,
        min(survivors.hubspot_contact_id) as surviving_contact_id

    from list_contact_ids
    inner join stg_hubspot__contacts as survivors
        on list_contact_ids.hubspot_contact_id <> survivors.hubspot_contact_id
        and survivors.merged_object_ids is not null
        and {{ dbt.concat(["';'", "replace(survivors.merged_object_ids, ' ', '')", "';'"]) }}
        like {{ dbt.concat(["'%;'", 'list_contact_ids.hubspot_contact_id', "';%'"]) }}
    group by list_contact_ids.hubspot_contact_id

),

resolve_contacts as (

    select
        list_contact_ids.hubspot_contact_id,
        {{ native_key('coalesce(find_survivors.surviving_contact_id, list_contact_ids.hubspot_contact_id)', 'hubspot') }} as lead_id,
        find_survivors.surviving_contact_id is not null as is_merged

    from list_contact_ids
    left join find_survivors
        on list_contact_ids.hubspot_contact_id = find_survivors.hubspot_contact_id

)

select * from resolve_contacts
