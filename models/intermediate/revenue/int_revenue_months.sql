{#- Calendar months from the first month a counting invoice covers (not before the month of
    plausible_date_from) up to the last complete month (not after plausible_date_to). -#}
with

int_payments_invoice_mrr as (

    select * from {{ ref('int_payments_invoice_mrr') }}

),

generate_month_numbers as (

    {{ dbt.generate_series(1200) }}

),

find_month_range as (

    select
        case
            when min(case when is_mrr_eligible then service_start_month end) < {{ plausible_date_from() }}
                then cast({{ dbt.date_trunc('month', plausible_date_from()) }} as date)
            else min(case when is_mrr_eligible then service_start_month end)
        end as first_month,
        cast({{ dbt.date_trunc('month', as_of_date()) }} as date) as as_of_month,
        cast(
            {{ dbt.date_trunc('month', dbt.dateadd('day', 1, 'max(' ~ to_reporting_date('updated_at') ~ ')')) }}
            as date
        ) as data_month

    from int_payments_invoice_mrr

),

list_months as (

    select
        cast(
            {{ dbt.dateadd('month', 'generate_month_numbers.generated_number - 1', 'find_month_range.first_month') }}
            as date
        ) as mrr_month,
        find_month_range.as_of_month,
        find_month_range.data_month

    from find_month_range
    cross join generate_month_numbers

),

keep_complete_months as (

    select
        mrr_month,
        cast({{ dbt.dateadd('month', -1, 'mrr_month') }} as date) as previous_month,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'mrr_month')) }} as date) as month_end_date

    from list_months
    where mrr_month < as_of_month
        and mrr_month < data_month
        and mrr_month <= {{ plausible_date_to() }}

)

select * from keep_complete_months
