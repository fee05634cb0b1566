{#- Every Stripe invoice line with its price and how it counts: a subscription line that is
    not a proration and whose price has a month or year interval is recurring (its amount is
    MRR over its service period); prorations, one-off invoice items and lines whose price has
    no usable interval are revenue only. -#}
with

stg_stripe__invoice_line_items as (

    select * from {{ ref('stg_stripe__invoice_line_items') }}

),

stg_stripe__invoices as (

    select * from {{ ref('stg_stripe__invoices') }}

),

stg_stripe__prices as (

    select * from {{ ref('stg_stripe__prices') }}

),

classify_lines as (

    select
        stg_stripe__invoice_line_items.*,
        stg_stripe__prices.recurring_interval,
        stg_stripe__prices.recurring_interval_count,
        stg_stripe__prices.interval_month_count,
        coalesce(stg_stripe__prices.has_unknown_interval, false) as has_unknown_interval,
        stg_stripe__invoices.invoice_id is null as is_orphan,
        {{ month_diff('stg_stripe__invoice_line_items.period_start', 'stg_stripe__invoice_line_items.period_end') }}
            as period_month_count,
        case
            when stg_stripe__invoices.invoice_id is null then 'unknown_invoice'
            when stg_stripe__invoice_line_items.is_proration then 'proration'
            when stg_stripe__invoice_line_items.line_type != 'subscription'
                or stg_stripe__invoice_line_items.line_type is null then 'one_off'
            when stg_stripe__prices.price_id is null then 'unknown_price'
            when stg_stripe__prices.has_unknown_interval then 'unknown_interval'
            when stg_stripe__prices.interval_month_count is null then 'interval_shorter_than_a_month'
        end as mrr_exclusion_reason

    from stg_stripe__invoice_line_items
    left join stg_stripe__invoices
        on stg_stripe__invoice_line_items.invoice_id = stg_stripe__invoices.invoice_id
    left join stg_stripe__prices
        on stg_stripe__invoice_line_items.price_id = stg_stripe__prices.price_id

),

finalise as (

    select

        ----------  ids
        line_item_id,
        invoice_id,
        subscription_id,
        price_id,

        ---------- text
        line_type,
        recurring_interval,
        mrr_exclusion_reason,
        currency,

        ---------- numerics
        gross_amount,
        discount_amount,
        net_amount,
        quantity,
        recurring_interval_count,
        interval_month_count,
        period_month_count,

        ---------- booleans
        mrr_exclusion_reason is null as is_recurring,
        is_proration,
        is_orphan,
        has_unknown_interval,
        mrr_exclusion_reason is null and period_month_count != interval_month_count
            as has_period_interval_mismatch,

        ---------- timestamps
        period_start,
        period_end

    from classify_lines

)

select * from finalise
