{%- set updated_at = 'coalesce(system_modstamp, last_modified_date, created_date)' -%}

with

source as (

    {{ native_source(source('salesforce', 'lead'), [
        ['id', 'text'], ['created_date', 'timestamp'], ['status', 'text'], ['owner_id', 'text'],
        ['lead_source', 'text'], ['email', 'text'], ['phone', 'text'], ['company', 'text'],
        ['website', 'text'], ['industry', 'text'], ['country', 'text'], ['title', 'text'],
        ['number_of_employees', 'integer'], ['is_converted', 'boolean'],
        ['converted_date', 'date'], ['converted_opportunity_id', 'text'],
        ['converted_account_id', 'text'], ['converted_contact_id', 'text'],
        ['utm_medium__c', 'text'], ['utm_campaign__c', 'text'],
        ['is_deleted', 'boolean'], ['last_modified_date', 'timestamp'],
        ['system_modstamp', 'timestamp'],
    ]) }}

),

keep_latest_versions as (

    {{ latest_version(
        'source',
        partition_by=normalize_text('id', lowercase=false),
        order_by=updated_at ~ ' desc',
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ native_key('id', 'salesforce') }} as lead_id,
        {{ native_key('owner_id', 'salesforce') }} as owner_id,
        {{ native_key('converted_opportunity_id', 'salesforce') }} as converted_deal_id,
        {{ normalize_text('converted_account_id', lowercase=false) }} as converted_account_id,
        {{ native_key('converted_contact_id', 'salesforce') }} as converted_contact_id,

        ---------- text
        'salesforce' as source_system,
        {{ normalize_text('lead_source') }} as lead_source,
        {{ normalize_text('utm_medium__c') }} as lead_medium,
        {{ normalize_text('utm_campaign__c') }} as lead_campaign,
        {{ hash_pii('email') }} as email_hash,
        {{ email_domain('email') }} as email_domain,
        {{ normalize_domain('website') }} as company_domain,
        {{ normalize_text('company', lowercase=false) }} as company_name,
        {{ normalize_text('industry', lowercase=false) }} as industry,
        {{ normalize_text('country', lowercase=false) }} as country,
        {{ normalize_text('title', lowercase=false) }} as job_title,
        {{ normalize_text('status', lowercase=false) }} as status_label,

        ---------- numerics
        number_of_employees as company_size,

        ---------- booleans
        {{ normalize_text('phone', lowercase=false) }} is not null as has_phone,
        coalesce(is_converted, converted_opportunity_id is not null) as is_converted,
        coalesce(is_deleted, false) as is_deleted,

        ---------- dates
        converted_date,

        ---------- timestamps
        created_date as created_at,
        {{ updated_at }} as updated_at

    from keep_latest_versions

)

select * from renamed
