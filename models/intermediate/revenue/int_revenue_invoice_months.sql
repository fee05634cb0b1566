with

int_payments_invoice_mrr as (

    select * from {{ ref('int_payments_invoice_mrr') }}

),

int_revenue_months as (

    select * from {{ ref('int_revenue_months') }}

),

spread_over_service_months as (

    select
        {{ surrogate_key([
            'int_payments_invoice_mrr.invoice_id',
            'int_revenue_months.mrr_month',
        ]) }} as invoice_month_id,
        int_payments_invoice_mrr.invoice_id,
        int_payments_invoice_mrr.customer_id,
        int_payments_invoice_mrr.subscription_key,
        int_payments_invoice_mrr.currency,
        int_payments_invoice_mrr.monthly_mrr,
        int_revenue_months.mrr_month

    from int_payments_invoice_mrr
    inner join int_revenue_months
        on int_payments_invoice_mrr.service_start_month <= int_revenue_months.mrr_month
        and int_payments_invoice_mrr.service_end_month >= int_revenue_months.mrr_month
    where int_payments_invoice_mrr.is_mrr_eligible

)

select * from spread_over_service_months
