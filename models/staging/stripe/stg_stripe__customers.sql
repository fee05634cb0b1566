{%- set account_key = "'" ~ var('stripe_crm_account_metadata_key') ~ "'" -%}
{%- set domain_key = "'" ~ var('stripe_company_domain_metadata_key') ~ "'" -%}

with

source_columns as (

    {{ native_source(source('stripe', 'customer'), [
        ['id', 'text'], ['email', 'text'], ['name', 'text'], ['created', 'timestamp'],
        ['currency', 'text'], ['metadata', 'text'], ['is_deleted', 'boolean'],
        ['deleted', 'boolean'], ['livemode', 'boolean'],
    ]) }}

),

source as (

    {{ latest_version(
        'source_columns',
        partition_by=normalize_text('id', lowercase=false),
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ normalize_text('id', lowercase=false) }} as customer_id,
        {{ normalize_text(json_text('metadata', account_key), lowercase=false) }} as crm_account_id,

        ---------- text
        {{ hash_pii('email') }} as email_hash,
        {{ email_domain('email') }} as email_domain,
        coalesce(
            {{ normalize_domain(json_text('metadata', domain_key)) }},
            {{ email_domain('email') }}
        ) as company_domain,
        upper({{ normalize_text('currency', lowercase=false) }}) as currency,

        ---------- booleans
        coalesce(is_deleted, deleted, false) as is_deleted,

        ---------- timestamps
        created as created_at

    from source

)

select * from renamed
