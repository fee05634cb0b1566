with

stg_crm__quotas as (

    select * from {{ ref('int_conformed__quotas') }}

),

stg_crm__owners as (

    select * from {{ ref('int_conformed__owners') }}

),

stg_finance__fx_rates as (

    select * from {{ ref('int_conformed__fx_rates') }}

),

int_sales_pipeline_days as (

    select * from {{ ref('int_sales_pipeline_days') }}

),

find_last_day as (

    select max(pipeline_date) as last_day

    from int_sales_pipeline_days

),

keep_started_periods as (

    select stg_crm__quotas.*

    from stg_crm__quotas
    cross join find_last_day
    where stg_crm__quotas.period_start <= find_last_day.last_day

),

convert_quotas as (

    select
        keep_started_periods.quota_id,
        keep_started_periods.owner_id,
        stg_crm__owners.owner_name,
        stg_crm__owners.team as owner_team,
        keep_started_periods.currency,
        keep_started_periods.quota_amount,
        stg_finance__fx_rates.rate_to_reporting as fx_rate,
        {{ to_reporting_currency(
            'keep_started_periods.quota_amount', 'keep_started_periods.currency', 'stg_finance__fx_rates.rate_to_reporting'
        ) }} as quota_amount_reporting,
        keep_started_periods.period_start as period_start_date,
        keep_started_periods.period_end as period_end_date

    from keep_started_periods
    left join stg_crm__owners
        on keep_started_periods.owner_id = stg_crm__owners.owner_id
    left join stg_finance__fx_rates
        on keep_started_periods.period_start = stg_finance__fx_rates.rate_date
        and keep_started_periods.currency = stg_finance__fx_rates.currency

)

select * from convert_quotas
