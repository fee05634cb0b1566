with

int_payments_customer_accounts as (

    select * from {{ ref('int_payments_customer_accounts') }}

),

fct_mrr as (

    select * from {{ ref('fct_mrr') }}

),

int_revenue_months as (

    select * from {{ ref('int_revenue_months') }}

),

find_last_complete_month as (

    select max(mrr_month) as last_complete_month

    from int_revenue_months

),

summarise_mrr_history as (

    select
        customer_id,
        min(case when is_paying then mrr_month end) as first_paying_month,
        max(case when is_paying then mrr_month end) as last_paying_month,
        sum(case when is_paying then 1 else 0 end) as paying_month_count,
        sum(case when movement_type = 'churn' then 1 else 0 end) as churn_count

    from fct_mrr
    group by customer_id

),

find_current_mrr as (

    select
        fct_mrr.customer_id,
        fct_mrr.mrr as current_mrr

    from fct_mrr
    inner join find_last_complete_month
        on fct_mrr.mrr_month = find_last_complete_month.last_complete_month

),

join_mrr as (

    select
        int_payments_customer_accounts.customer_id,
        int_payments_customer_accounts.account_id,
        int_payments_customer_accounts.crm_account_id,
        int_payments_customer_accounts.match_method,
        int_payments_customer_accounts.unmatched_reason,
        int_payments_customer_accounts.company_domain,
        int_payments_customer_accounts.email_domain,
        int_payments_customer_accounts.domain_crm_account_count,
        coalesce(summarise_mrr_history.paying_month_count, 0) as paying_month_count,
        coalesce(summarise_mrr_history.churn_count, 0) as churn_count,
        coalesce(find_current_mrr.current_mrr, 0) as current_mrr,
        int_payments_customer_accounts.match_method != 'unmatched' as is_matched,
        int_payments_customer_accounts.has_unknown_crm_account_id,
        coalesce(find_current_mrr.current_mrr, 0) > 0 as is_paying,
        summarise_mrr_history.first_paying_month,
        summarise_mrr_history.last_paying_month,
        int_payments_customer_accounts.created_at

    from int_payments_customer_accounts
    left join summarise_mrr_history
        on int_payments_customer_accounts.customer_id = summarise_mrr_history.customer_id
    left join find_current_mrr
        on int_payments_customer_accounts.customer_id = find_current_mrr.customer_id

)

select * from join_mrr
