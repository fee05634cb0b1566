{%- set invoice_id = normalize_text('id', lowercase=false) -%}
{%- set currency = 'upper(' ~ normalize_text('currency', lowercase=false) ~ ')' -%}
{#- Stripe has no "updated" field: an invoice changes when it is finalized, paid, voided or
    marked uncollectible, so the latest of those times orders its versions. -#}
{%- set changed_at -%}
    greatest(
        created,
        coalesce(status_transitions_finalized_at, created),
        coalesce(status_transitions_paid_at, created),
        coalesce(status_transitions_voided_at, created),
        coalesce(status_transitions_marked_uncollectible_at, created)
    )
{%- endset -%}

with

source_columns as (

    {{ native_source(source('stripe', 'invoice'), [
        ['id', 'text'], ['status', 'text'], ['currency', 'text'], ['customer_id', 'text'],
        ['customer', 'text'], ['subscription_id', 'text'], ['subscription', 'text'],
        ['charge_id', 'text'], ['charge', 'text'], ['number', 'text'], ['billing_reason', 'text'],
        ['created', 'timestamp'], ['period_start', 'timestamp'], ['period_end', 'timestamp'],
        ['subtotal', 'integer'], ['total', 'integer'], ['amount_due', 'integer'],
        ['amount_paid', 'integer'], ['status_transitions_finalized_at', 'timestamp'],
        ['status_transitions_paid_at', 'timestamp'], ['status_transitions_voided_at', 'timestamp'],
        ['status_transitions_marked_uncollectible_at', 'timestamp'],
    ]) }}

),

source as (

    {{ latest_version(
        'source_columns',
        partition_by=invoice_id,
        order_by=changed_at ~ ' desc',
    ) }}

),

currency_minor_units as (

    select * from {{ ref('currency_minor_units') }}

),

add_minor_units as (

    select
        source.*,
        coalesce(currency_minor_units.minor_unit_digits, 2) as minor_unit_digits

    from source
    left join currency_minor_units
        on {{ currency | replace('currency', 'source.currency') }} = currency_minor_units.currency

),

renamed as (

    select

        ----------  ids
        {{ invoice_id }} as invoice_id,
        {{ normalize_text('coalesce(customer_id, customer)', lowercase=false) }} as customer_id,
        {{ normalize_text('coalesce(subscription_id, subscription)', lowercase=false) }} as subscription_id,
        {{ normalize_text('coalesce(charge_id, charge)', lowercase=false) }} as charge_id,

        ---------- text
        {{ normalize_text('status') }} as invoice_status,
        {{ normalize_text('billing_reason') }} as billing_reason,
        {{ currency }} as currency,

        ---------- numerics
        {{ minor_units_to_amount('total', 'minor_unit_digits') }} as total_amount,
        {{ minor_units_to_amount('amount_paid', 'minor_unit_digits') }} as amount_paid,
        minor_unit_digits,

        ---------- timestamps
        created as created_at,
        status_transitions_finalized_at as finalized_at,
        status_transitions_paid_at as paid_at,
        status_transitions_voided_at as voided_at,
        {{ changed_at }} as changed_at

    from add_minor_units

)

select * from renamed
