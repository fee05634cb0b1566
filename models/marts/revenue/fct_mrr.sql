with

int_revenue_invoice_months as (

    select * from {{ ref('int_revenue_invoice_months') }}

),

int_revenue_months as (

    select * from {{ ref('int_revenue_months') }}

),

int_payments_customer_accounts as (

    select * from {{ ref('int_payments_customer_accounts') }}

),

sum_customer_months as (

    select
        customer_id,
        mrr_month,
        sum(monthly_mrr) as mrr,
        count(distinct subscription_key) as active_subscription_count,
        count(distinct invoice_id) as invoice_count

    from int_revenue_invoice_months
    group by customer_id, mrr_month

),

find_first_paying_months as (

    select
        customer_id,
        min(mrr_month) as first_paying_month

    from sum_customer_months
    where mrr > 0
    group by customer_id

),

fill_customer_months as (

    select
        find_first_paying_months.customer_id,
        int_revenue_months.mrr_month,
        find_first_paying_months.first_paying_month,
        coalesce(sum_customer_months.mrr, 0) as mrr,
        coalesce(sum_customer_months.active_subscription_count, 0) as active_subscription_count,
        coalesce(sum_customer_months.invoice_count, 0) as invoice_count

    from find_first_paying_months
    inner join int_revenue_months
        on find_first_paying_months.first_paying_month <= int_revenue_months.mrr_month
    left join sum_customer_months
        on find_first_paying_months.customer_id = sum_customer_months.customer_id
        and int_revenue_months.mrr_month = sum_customer_months.mrr_month

),

compare_with_previous_month as (

    select
        *,
        coalesce(
            lag(mrr) over (partition by customer_id order by mrr_month),
            0
        ) as previous_mrr

    from fill_customer_months

),

classify_movements as (

    select
        *,
        case
            when previous_mrr = 0 and mrr_month = first_paying_month then 'new'
            when previous_mrr = 0 then 'reactivation'
            when mrr = 0 then 'churn'
            when mrr > previous_mrr then 'expansion'
            when mrr < previous_mrr then 'contraction'
            else 'unchanged'
        end as movement_type,
        {{ add_amounts([('+', 'mrr'), ('-', 'previous_mrr')]) }} as movement_amount

    from compare_with_previous_month
    where mrr > 0 or previous_mrr > 0

),

split_movement_amounts as (

    select
        *,
        case when movement_type = 'new' then movement_amount else 0 end as new_mrr,
        case when movement_type = 'expansion' then movement_amount else 0 end as expansion_mrr,
        case when movement_type = 'contraction' then -movement_amount else 0 end as contraction_mrr,
        case when movement_type = 'churn' then -movement_amount else 0 end as churned_mrr,
        case when movement_type = 'reactivation' then movement_amount else 0 end as reactivation_mrr

    from classify_movements

),

join_crm_accounts as (

    select

        ----------  ids
        {{ surrogate_key([
            'split_movement_amounts.customer_id',
            'split_movement_amounts.mrr_month',
        ]) }} as customer_month_id,
        split_movement_amounts.customer_id,
        int_payments_customer_accounts.account_id,

        ---------- text
        int_payments_customer_accounts.match_method,
        split_movement_amounts.movement_type,

        ---------- numerics
        {# money decimal(38, 9) on every engine: PostgreSQL drops the scale of sums and case
            expressions (and dbt diffs unit-test rows as text) #}
        cast(split_movement_amounts.mrr as decimal(38, 9)) as mrr,
        cast(split_movement_amounts.previous_mrr as decimal(38, 9)) as previous_mrr,
        cast(split_movement_amounts.movement_amount as decimal(38, 9)) as movement_amount,
        cast(split_movement_amounts.new_mrr as decimal(38, 9)) as new_mrr,
        cast(split_movement_amounts.expansion_mrr as decimal(38, 9)) as expansion_mrr,
        cast(split_movement_amounts.contraction_mrr as decimal(38, 9)) as contraction_mrr,
        cast(split_movement_amounts.churned_mrr as decimal(38, 9)) as churned_mrr,
        cast(split_movement_amounts.reactivation_mrr as decimal(38, 9)) as reactivation_mrr,
        split_movement_amounts.active_subscription_count,
        split_movement_amounts.invoice_count,

        ---------- booleans
        split_movement_amounts.mrr > 0 as is_paying,
        split_movement_amounts.previous_mrr > 0 as was_paying,

        ---------- dates
        split_movement_amounts.mrr_month,
        split_movement_amounts.first_paying_month

    from split_movement_amounts
    left join int_payments_customer_accounts
        on split_movement_amounts.customer_id = int_payments_customer_accounts.customer_id

)

select * from join_crm_accounts
