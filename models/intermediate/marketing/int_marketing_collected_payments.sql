with

int_payments_invoice_mrr as (

    select * from {{ ref('int_payments_invoice_mrr') }}

),

int_payments_customer_accounts as (

    select * from {{ ref('int_payments_customer_accounts') }}

),

int_deal_outcomes as (

    select * from {{ ref('int_deal_outcomes') }}

),

stg_crm__deals as (

    select * from {{ ref('int_conformed__deals') }}
    where {{ within_plausible_dates('deals') }}

),

stg_finance__fx_rates as (

    select * from {{ ref('int_conformed__fx_rates') }}

),

select_collected_invoices as (

    select
        invoice_id,
        customer_id,
        currency,
        amount,
        amount_reporting,
        fx_rate_date,
        paid_at

    from int_payments_invoice_mrr
    {# != 0, not > 0: a negative paid row (a Stripe partial refund or proration credit,
        issue 14) reduces the revenue collected #}
    where invoice_status = 'paid'
        and amount != 0
        and paid_at is not null

),

{# The revenue model converts only invoices that count towards MRR; a paid invoice that does
    not (a proration shorter than 28 days) is converted here with the same macro at the same
    rate day (fx_rate_date), so every collected amount is in the reporting currency. -#}
convert_remaining_amounts as (

    select
        select_collected_invoices.*,
        coalesce(
            select_collected_invoices.amount_reporting,
            {{ to_reporting_currency(
                'select_collected_invoices.amount',
                'select_collected_invoices.currency',
                'stg_finance__fx_rates.rate_to_reporting',
            ) }}
        ) as collected_amount_reporting

    from select_collected_invoices
    left join stg_finance__fx_rates
        on select_collected_invoices.currency = stg_finance__fx_rates.currency
        and select_collected_invoices.fx_rate_date = stg_finance__fx_rates.rate_date

),

rank_won_deals_per_account as (

    select
        stg_crm__deals.account_id,
        int_deal_outcomes.deal_id,
        int_deal_outcomes.funnel_entity_type,
        int_deal_outcomes.funnel_entity_id,
        int_deal_outcomes.won_at,
        row_number() over (
            partition by stg_crm__deals.account_id
            order by int_deal_outcomes.won_at nulls last, int_deal_outcomes.deal_id
        ) as won_rank

    from int_deal_outcomes
    inner join stg_crm__deals
        on int_deal_outcomes.deal_id = stg_crm__deals.deal_id
    where int_deal_outcomes.is_won
        and stg_crm__deals.account_id is not null

),

find_first_won_deals as (

    select * from rank_won_deals_per_account
    where won_rank = 1

),

link_funnel_entities as (

    select
        convert_remaining_amounts.*,
        int_payments_customer_accounts.account_id,
        find_first_won_deals.deal_id as first_won_deal_id,
        find_first_won_deals.funnel_entity_type,
        find_first_won_deals.funnel_entity_id,
        row_number() over (
            partition by convert_remaining_amounts.customer_id
            order by convert_remaining_amounts.paid_at nulls last, convert_remaining_amounts.invoice_id
        ) as customer_payment_number

    from convert_remaining_amounts
    left join int_payments_customer_accounts
        on convert_remaining_amounts.customer_id = int_payments_customer_accounts.customer_id
    left join find_first_won_deals
        on int_payments_customer_accounts.account_id = find_first_won_deals.account_id

),

finalise as (

    select

        ----------  ids
        invoice_id,
        customer_id,
        account_id,
        first_won_deal_id,
        funnel_entity_type,
        funnel_entity_id,

        ---------- text
        currency,

        ---------- numerics
        amount,
        cast(collected_amount_reporting as decimal(38, 9)) as collected_amount_reporting,
        customer_payment_number,

        ---------- booleans
        customer_payment_number = 1 as is_first_customer_payment,
        funnel_entity_id is not null as is_linked_to_funnel,

        ---------- dates
        fx_rate_date,
        {{ to_reporting_date('paid_at') }} as paid_date,
        cast({{ dbt.date_trunc('month', to_reporting_date('paid_at')) }} as date) as paid_month,

        ---------- timestamps
        paid_at

    from link_funnel_entities

)

select * from finalise
