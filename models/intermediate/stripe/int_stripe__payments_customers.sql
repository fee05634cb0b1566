{#- Stripe customers in the columns of stg_payments__customers, ids prefixed with 'stripe:'
    so they cannot collide with another system's. The CRM account comes from the metadata key
    var stripe_crm_account_metadata_key (an id of the CRM, kept as it is), the company domain
    from var stripe_company_domain_metadata_key, else the e-mail's domain. -#}
with

stg_stripe__customers as (

    select * from {{ ref('stg_stripe__customers') }}

),

conform as (

    select

        ----------  ids
        {{ native_key('customer_id', 'stripe') }} as customer_id,
        crm_account_id,

        ---------- text
        email_hash,
        email_domain,
        company_domain,

        ---------- timestamps
        created_at,

        ---------- lineage
        'stripe' as source_system

    from stg_stripe__customers

)

select * from conform
