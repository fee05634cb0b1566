with

source as (

    {{ latest_version(
        source('crm', 'leads'),
        partition_by=normalize_text('lead_id', lowercase=false),
        order_by='updated_at desc',
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ normalize_text('lead_id', lowercase=false) }} as lead_id,
        {{ normalize_text('owner_id', lowercase=false) }} as owner_id,

        ---------- text
        {{ crm_source_system() }} as source_system,
        {{ normalize_text('source') }} as lead_source,
        {{ normalize_text('medium') }} as lead_medium,
        {{ normalize_text('campaign') }} as lead_campaign,
        {{ hash_pii('email') }} as email_hash,
        {{ email_domain('email') }} as email_domain,
        {{ normalize_domain('company_domain') }} as company_domain,
        {{ normalize_text('company_name', lowercase=false) }} as company_name,
        {{ normalize_text('industry', lowercase=false) }} as industry,
        {{ normalize_text('country', lowercase=false) }} as country,
        {{ normalize_text('job_title', lowercase=false) }} as job_title,

        ---------- numerics
        company_size,

        ---------- booleans
        {{ normalize_text('phone', lowercase=false) }} is not null as has_phone,

        ---------- timestamps
        created_at,
        updated_at

    from source

)

select * from renamed
