with

source as (

    {{ latest_version(
        source('payments', 'customers'),
        partition_by=normalize_text('customer_id', lowercase=false),
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ redact_pii(normalize_text('customer_id', lowercase=false)) }} as customer_id,
        {{ redact_pii(normalize_text('crm_account_id', lowercase=false)) }} as crm_account_id,

        ---------- text
        {{ hash_pii('email') }} as email_hash,
        {{ redact_pii(email_domain('email')) }} as email_domain,
        {{ redact_pii(normalize_domain('company_domain')) }} as company_domain,

        ---------- timestamps
        created_at

    from source

)

select * from renamed
