with

source as (

    {{ latest_version(
        source('payments', 'invoices'),
        partition_by=normalize_text('invoice_id', lowercase=false),
        order_by='updated_at desc',
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ redact_pii(normalize_text('invoice_id', lowercase=false)) }} as invoice_id,
        {{ redact_pii(normalize_text('customer_id', lowercase=false)) }} as customer_id,
        {{ redact_pii(normalize_text('subscription_id', lowercase=false)) }} as subscription_id,

        ---------- text
        {{ redact_pii(normalize_text('status')) }} as invoice_status,
        upper({{ redact_pii(normalize_text('currency', lowercase=false)) }}) as currency,

        ---------- numerics
        amount,

        ---------- dates
        period_start,
        period_end,

        ---------- timestamps
        issued_at,
        paid_at,
        updated_at

    from source

)

select * from renamed
