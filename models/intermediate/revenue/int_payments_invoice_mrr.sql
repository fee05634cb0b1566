with

stg_payments__invoices as (

    select * from {{ ref('int_conformed__invoices') }}
    where {{ within_plausible_dates('invoices') }}

),

stg_finance__fx_rates as (

    select * from {{ ref('int_conformed__fx_rates') }}

),

measure_service_periods as (

    select
        *,
        cast({{ dbt.date_trunc('month', 'period_start') }} as date) as service_start_month,
        {{ month_diff('period_start', dbt.dateadd('day', 1, 'period_end')) }} as service_month_count,
        {{ dbt.datediff('period_start', 'period_end', 'day') }} + 1 as service_day_count,
        coalesce({{ to_reporting_date('paid_at') }}, period_start) as fx_rate_date

    from stg_payments__invoices

),

classify_invoices as (

    select
        *,
        case
            when invoice_status = 'refunded' then 'refunded'
            when invoice_status is null or invoice_status != 'paid' then 'not_paid'
            when amount is null or amount <= 0 then 'no_amount'
            when period_start is null or period_end is null then 'no_service_period'
            when service_day_count < 28 or service_month_count < 1 then 'no_full_month'
        end as mrr_exclusion_reason

    from measure_service_periods

),

convert_to_reporting_currency as (

    select
        classify_invoices.*,
        {# decimal(38, 9) on every engine, as DuckDB types amount x rate (PostgreSQL's product
            is an unconstrained numeric) #}
        cast(
            case
                when classify_invoices.mrr_exclusion_reason is null
                    then {{ to_reporting_currency(
                        'classify_invoices.amount',
                        'classify_invoices.currency',
                        'stg_finance__fx_rates.rate_to_reporting',
                    ) }}
            end
            as decimal(38, 9)
        ) as amount_reporting

    from classify_invoices
    left join stg_finance__fx_rates
        on classify_invoices.currency = stg_finance__fx_rates.currency
        and classify_invoices.fx_rate_date = stg_finance__fx_rates.rate_date

),

normalise_to_monthly as (

    select

        ----------  ids
        invoice_id,
        customer_id,
        subscription_id,
        coalesce(subscription_id, invoice_id) as subscription_key,

        ---------- text
        invoice_status,
        mrr_exclusion_reason,
        currency,

        ---------- numerics
        amount,
        amount_reporting,
        case when mrr_exclusion_reason is null then service_month_count end as service_month_count,
        service_day_count,
        {# cast outside the case: PostgreSQL drops the type's scale of a case with a null branch #}
        cast(
            case when mrr_exclusion_reason is null then amount_reporting / service_month_count end
            as decimal(38, 9)
        ) as monthly_mrr,

        ---------- booleans
        mrr_exclusion_reason is null as is_mrr_eligible,

        ---------- dates
        period_start,
        period_end,
        fx_rate_date,
        service_start_month,
        case
            when mrr_exclusion_reason is null
                then cast({{ dbt.dateadd('month', 'service_month_count - 1', 'service_start_month') }} as date)
        end as service_end_month,

        ---------- timestamps
        issued_at,
        paid_at,
        updated_at

    from convert_to_reporting_currency

)

select * from normalise_to_monthly
