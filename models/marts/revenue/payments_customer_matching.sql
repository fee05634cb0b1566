with

dim_payment_customers as (

    select * from {{ ref('dim_payment_customers') }}

),

count_by_match_method as (

    select
        match_method,
        count(*) as customer_count,
        sum(case when paying_month_count > 0 then 1 else 0 end) as ever_paying_customer_count,
        sum(case when is_paying then 1 else 0 end) as paying_customer_count,
        sum(case when has_unknown_crm_account_id then 1 else 0 end) as unknown_crm_account_id_count,
        sum(case when unmatched_reason = 'ambiguous_domain' then 1 else 0 end) as ambiguous_domain_count,
        sum(current_mrr) as current_mrr

    from dim_payment_customers
    group by match_method

),

list_match_methods as (

    select
        'account_id' as match_method,
        1 as match_method_order
    union all
    select
        'company_domain' as match_method,
        2 as match_method_order
    union all
    select
        'unmatched' as match_method,
        3 as match_method_order

),

compute_shares as (

    select
        list_match_methods.match_method,
        list_match_methods.match_method_order,
        coalesce(count_by_match_method.customer_count, 0) as customer_count,
        coalesce(count_by_match_method.ever_paying_customer_count, 0) as ever_paying_customer_count,
        coalesce(count_by_match_method.paying_customer_count, 0) as paying_customer_count,
        coalesce(count_by_match_method.unknown_crm_account_id_count, 0) as unknown_crm_account_id_count,
        coalesce(count_by_match_method.ambiguous_domain_count, 0) as ambiguous_domain_count,
        coalesce(count_by_match_method.current_mrr, 0) as current_mrr,
        {{ safe_divide(
            '100.0 * coalesce(count_by_match_method.customer_count, 0)',
            'sum(coalesce(count_by_match_method.customer_count, 0)) over ()',
        ) }} as customer_share,
        {{ safe_divide(
            '100.0 * coalesce(count_by_match_method.current_mrr, 0)',
            'sum(coalesce(count_by_match_method.current_mrr, 0)) over ()',
        ) }} as current_mrr_share

    from list_match_methods
    left join count_by_match_method
        on list_match_methods.match_method = count_by_match_method.match_method

)

select * from compute_shares
