with

fct_mrr as (

    select * from {{ ref('fct_mrr') }}

),

int_revenue_months as (

    select * from {{ ref('int_revenue_months') }}

),

sum_movements as (

    select
        mrr_month,
        sum(previous_mrr) as starting_mrr,
        sum(new_mrr) as new_mrr,
        sum(expansion_mrr) as expansion_mrr,
        sum(contraction_mrr) as contraction_mrr,
        sum(churned_mrr) as churned_mrr,
        sum(reactivation_mrr) as reactivation_mrr,
        sum(mrr) as ending_mrr,
        sum(case when was_paying then 1 else 0 end) as customers_at_start,
        sum(case when movement_type = 'new' then 1 else 0 end) as new_customers,
        sum(case when movement_type = 'expansion' then 1 else 0 end) as expanded_customers,
        sum(case when movement_type = 'contraction' then 1 else 0 end) as contracted_customers,
        sum(case when movement_type = 'churn' then 1 else 0 end) as churned_customers,
        sum(case when movement_type = 'reactivation' then 1 else 0 end) as reactivated_customers,
        sum(case when is_paying then 1 else 0 end) as customers_at_end

    from fct_mrr
    group by mrr_month

),

fill_months as (

    select
        int_revenue_months.mrr_month,
        cast(coalesce(sum_movements.starting_mrr, 0) as decimal(38, 9)) as starting_mrr,
        cast(coalesce(sum_movements.new_mrr, 0) as decimal(38, 9)) as new_mrr,
        cast(coalesce(sum_movements.expansion_mrr, 0) as decimal(38, 9)) as expansion_mrr,
        cast(coalesce(sum_movements.contraction_mrr, 0) as decimal(38, 9)) as contraction_mrr,
        cast(coalesce(sum_movements.churned_mrr, 0) as decimal(38, 9)) as churned_mrr,
        cast(coalesce(sum_movements.reactivation_mrr, 0) as decimal(38, 9)) as reactivation_mrr,
        cast(coalesce(sum_movements.ending_mrr, 0) as decimal(38, 9)) as ending_mrr,
        coalesce(sum_movements.customers_at_start, 0) as customers_at_start,
        coalesce(sum_movements.new_customers, 0) as new_customers,
        coalesce(sum_movements.expanded_customers, 0) as expanded_customers,
        coalesce(sum_movements.contracted_customers, 0) as contracted_customers,
        coalesce(sum_movements.churned_customers, 0) as churned_customers,
        coalesce(sum_movements.reactivated_customers, 0) as reactivated_customers,
        coalesce(sum_movements.customers_at_end, 0) as customers_at_end

    from int_revenue_months
    left join sum_movements
        on int_revenue_months.mrr_month = sum_movements.mrr_month

),

compute_rates as (

    select
        *,
        {{ add_amounts([
            ('+', 'new_mrr'), ('+', 'expansion_mrr'), ('+', 'reactivation_mrr'),
            ('-', 'contraction_mrr'), ('-', 'churned_mrr'),
        ]) }} as net_new_mrr,
        case
            when customers_at_start > 0
                then {{ safe_divide('100.0 * churned_customers', 'customers_at_start') }}
        end as customer_churn_rate,
        case
            when starting_mrr > 0
                then {{ safe_divide(
                    '100.0 * (' ~ add_amounts([('+', 'churned_mrr'), ('+', 'contraction_mrr')]) ~ ')',
                    'starting_mrr',
                ) }}
        end as revenue_churn_rate,
        case
            when customers_at_end > 0
                then {{ safe_divide('ending_mrr', 'customers_at_end') }}
        end as arpa

    from fill_months

),

compute_ltv as (

    select

        ---------- dates
        mrr_month,

        ---------- MRR bridge
        starting_mrr,
        new_mrr,
        expansion_mrr,
        reactivation_mrr,
        contraction_mrr,
        churned_mrr,
        net_new_mrr,
        ending_mrr,

        ---------- customers
        customers_at_start,
        new_customers,
        expanded_customers,
        contracted_customers,
        churned_customers,
        reactivated_customers,
        customers_at_end,

        ---------- rates and unit economics
        customer_churn_rate,
        revenue_churn_rate,
        arpa,
        case
            when customer_churn_rate > 0
                then {{ safe_divide('arpa', safe_divide('customer_churn_rate', '100.0')) }}
        end as ltv

    from compute_rates

)

select * from compute_ltv
