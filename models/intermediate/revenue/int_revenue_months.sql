{#- Calendar months from the first month a counting invoice covers (not before the month of
    plausible_date_from) up to the last complete month (not after plausible_date_to). -#}
with

int_payments_invoice_mrr as (

    select * from {{ ref('int_payments_invoice_mrr') }}

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

find_month_bounds as (

    select
        first_month,
        cast({{ dbt.dateadd('month', -1, 'as_of_month') }} as date) as last_as_of_month,
        cast({{ dbt.dateadd('month', -1, 'data_month') }} as date) as last_data_month,
        cast({{ dbt.date_trunc('month', plausible_date_to()) }} as date) as last_plausible_month

    from find_month_range

),

find_last_month as (

    {# the last month before both the as-of month and the month after the data, not after
       plausible_date_to: the least of the three (none without data) #}
    select
        first_month,
        case
            when last_data_month is null then null
            when last_data_month <= last_as_of_month and last_data_month <= last_plausible_month
                then last_data_month
            when last_as_of_month <= last_plausible_month then last_as_of_month
            else last_plausible_month
        end as last_month

    from find_month_bounds

),

list_months as (

    {{ date_spine('month', 'first_month', 'last_month', 'find_last_month', 'mrr_month') }}

),

keep_complete_months as (

    select
        mrr_month,
        cast({{ dbt.dateadd('month', -1, 'mrr_month') }} as date) as previous_month,
        cast({{ dbt.dateadd('day', -1, dbt.dateadd('month', 1, 'mrr_month')) }} as date) as month_end_date

    from list_months

)

select * from keep_complete_months
