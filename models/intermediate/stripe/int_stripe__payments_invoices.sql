{#- Stripe invoices in the columns of stg_payments__invoices, so the revenue models read them
    like canonical invoices (ids prefixed with 'stripe:'). One Stripe invoice gives:
    - its recurring row (invoice id): the net amount (after discounts) of its recurring lines
      over their service period [first period_start, last period_end - 1 day], so MRR = amount
      / months of the period = the price normalised to a month (ChartMogul); an invoice without
      landed lines gives its total with no period (revenue only);
    - a revenue-only row (invoice id || ':other') with the net amount of its prorations, one-off
      items and lines without a usable interval, and no period, so it never counts as MRR;
    - one row per partial refund (refund id), status paid, amount minus the refund, no period:
      it reduces the revenue collected on the refund's day.
    A paid invoice refunded in full takes the canonical status 'refunded' (it then counts
    neither as MRR nor as revenue, like a canonical refunded invoice) and its updated_at is the
    last refund's time. -#}
with

stg_stripe__invoices as (

    select * from {{ ref('stg_stripe__invoices') }}

),

int_stripe__invoice_lines as (

    select * from {{ ref('int_stripe__invoice_lines') }}

),

stg_stripe__refunds as (

    select * from {{ ref('stg_stripe__refunds') }}

),

sum_refunds_per_charge as (

    select
        charge_id,
        sum(refund_amount) as refunded_amount,
        max(refunded_at) as last_refunded_at

    from stg_stripe__refunds
    where refund_status = 'succeeded' or refund_status is null
    group by charge_id

),

sum_lines_per_invoice as (

    select
        invoice_id,
        count(*) as line_count,
        sum(case when is_recurring then 1 else 0 end) as recurring_line_count,
        sum(case when is_recurring then net_amount else 0 end) as recurring_amount,
        sum(case when not is_recurring then 1 else 0 end) as other_line_count,
        sum(case when not is_recurring then net_amount else 0 end) as other_amount,
        min(case when is_recurring then period_start end) as service_start_at,
        max(case when is_recurring then period_end end) as service_end_at

    from int_stripe__invoice_lines
    where not is_orphan
    group by invoice_id

),

classify_invoices as (

    select
        stg_stripe__invoices.*,
        sum_lines_per_invoice.line_count,
        sum_lines_per_invoice.recurring_line_count,
        sum_lines_per_invoice.recurring_amount,
        sum_lines_per_invoice.other_line_count,
        sum_lines_per_invoice.other_amount,
        sum_lines_per_invoice.service_start_at,
        sum_lines_per_invoice.service_end_at,
        sum_refunds_per_charge.refunded_amount,
        sum_refunds_per_charge.last_refunded_at,
        stg_stripe__invoices.invoice_status = 'paid'
        and sum_refunds_per_charge.refunded_amount >= stg_stripe__invoices.amount_paid
        and stg_stripe__invoices.amount_paid > 0 as is_fully_refunded

    from stg_stripe__invoices
    left join sum_lines_per_invoice
        on stg_stripe__invoices.invoice_id = sum_lines_per_invoice.invoice_id
    left join sum_refunds_per_charge
        on stg_stripe__invoices.charge_id = sum_refunds_per_charge.charge_id

),

recurring_rows as (

    select
        invoice_id as row_id,
        customer_id,
        subscription_id,
        case when is_fully_refunded then 'refunded' else invoice_status end as invoice_status,
        currency,
        case when line_count is null then total_amount else recurring_amount end as amount,
        cast(service_start_at as date) as period_start,
        cast({{ dbt.dateadd('day', -1, 'cast(service_end_at as date)') }} as date) as period_end,
        coalesce(finalized_at, created_at) as issued_at,
        paid_at,
        case
            when is_fully_refunded then greatest(changed_at, last_refunded_at)
            else changed_at
        end as updated_at

    from classify_invoices
    where line_count is null or recurring_line_count > 0

),

other_rows as (

    select
        invoice_id || ':other' as row_id,
        customer_id,
        subscription_id,
        case when is_fully_refunded then 'refunded' else invoice_status end as invoice_status,
        currency,
        other_amount as amount,
        cast(null as date) as period_start,
        cast(null as date) as period_end,
        coalesce(finalized_at, created_at) as issued_at,
        paid_at,
        case
            when is_fully_refunded then greatest(changed_at, last_refunded_at)
            else changed_at
        end as updated_at

    from classify_invoices
    where other_line_count > 0

),

partial_refund_rows as (

    select
        stg_stripe__refunds.refund_id as row_id,
        classify_invoices.customer_id,
        classify_invoices.subscription_id,
        'paid' as invoice_status,
        stg_stripe__refunds.currency,
        -stg_stripe__refunds.refund_amount as amount,
        cast(null as date) as period_start,
        cast(null as date) as period_end,
        stg_stripe__refunds.refunded_at as issued_at,
        stg_stripe__refunds.refunded_at as paid_at,
        stg_stripe__refunds.refunded_at as updated_at

    from stg_stripe__refunds
    inner join classify_invoices
        on stg_stripe__refunds.charge_id = classify_invoices.charge_id
    where not classify_invoices.is_fully_refunded
        and classify_invoices.invoice_status = 'paid'
        and (stg_stripe__refunds.refund_status = 'succeeded' or stg_stripe__refunds.refund_status is null)

),

union_rows as (

    select * from recurring_rows
    union all
    select * from other_rows
    union all
    select * from partial_refund_rows

),

conform as (

    select

        ----------  ids
        {{ native_key('row_id', 'stripe') }} as invoice_id,
        {{ native_key('customer_id', 'stripe') }} as customer_id,
        {{ native_key('subscription_id', 'stripe') }} as subscription_id,

        ---------- text
        invoice_status,
        currency,

        ---------- numerics
        amount,

        ---------- dates
        period_start,
        period_end,

        ---------- timestamps
        issued_at,
        paid_at,
        updated_at,

        ---------- lineage
        'stripe' as source_system

    from union_rows

)

select * from conform
