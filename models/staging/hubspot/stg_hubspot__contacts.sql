{%- set contact_id = normalize_text('id', lowercase=false) -%}

with

source as (

    {{ hubspot_source(source('hubspot', 'contact'), [
        ['id', 'text'], ['createdate', 'timestamp'], ['lastmodifieddate', 'timestamp'],
        ['email', 'text'], ['phone', 'text'], ['company', 'text'], ['website', 'text'],
        ['industry', 'text'], ['country', 'text'], ['jobtitle', 'text'],
        ['numemployees', 'integer'], ['hubspot_owner_id', 'text'], ['lifecyclestage', 'text'],
        ['hs_lead_status', 'text'], ['hs_analytics_source', 'text'], ['utm_medium', 'text'],
        ['utm_campaign', 'text'], ['hs_merged_object_ids', 'text'], ['is_deleted', 'boolean'],
    ]) }}

),

keep_latest_versions as (

    {{ latest_version(
        'source',
        partition_by=contact_id,
        order_by='coalesce(lastmodifieddate, createdate) desc nulls last',
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ native_key('id', 'hubspot') }} as contact_id,
        {{ contact_id }} as hubspot_contact_id,
        {{ native_key('hubspot_owner_id', 'hubspot') }} as owner_id,

        ---------- text
        'hubspot' as source_system,
        {{ normalize_text('hs_analytics_source') }} as lead_source,
        {{ normalize_text('utm_medium') }} as lead_medium,
        {{ normalize_text('utm_campaign') }} as lead_campaign,
        {{ hash_pii('email') }} as email_hash,
        {{ email_domain('email') }} as email_domain,
        {{ normalize_domain('website') }} as company_domain,
        {{ normalize_text('company', lowercase=false) }} as company_name,
        {{ normalize_text('industry', lowercase=false) }} as industry,
        {{ normalize_text('country', lowercase=false) }} as country,
        {{ normalize_text('jobtitle', lowercase=false) }} as job_title,
        {{ normalize_text('lifecyclestage', lowercase=false) }} as lifecycle_stage,
        {{ normalize_text('hs_lead_status', lowercase=false) }} as lead_status,
        {{ normalize_text('hs_merged_object_ids', lowercase=false) }} as merged_object_ids,

        ---------- numerics
        numemployees as company_size,

        ---------- booleans
        {{ normalize_text('phone', lowercase=false) }} is not null as has_phone,
        coalesce(is_deleted, false) as is_deleted,

        ---------- timestamps
        createdate as created_at,
        coalesce(lastmodifieddate, createdate) as updated_at

    from keep_latest_versions

)

select * from renamed
