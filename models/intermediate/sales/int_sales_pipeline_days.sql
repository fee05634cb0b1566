{#- At most this many days (about 44 years) from the first deal version: dbt.generate_series
    needs its bound when the SQL is compiled. -#}
{%- set max_days = 16384 -%}

with

int_deal_versions as (

    select * from {{ ref('int_deal_versions') }}

),

stg_finance__fx_rates as (

    select * from {{ ref('int_conformed__fx_rates') }}

),

find_first_day as (

    select
        {{ next_day('min(valid_from_date)') }} as first_day

    from int_deal_versions

),

find_last_day as (

    select
        case
            when max(rate_date) is not null and max(rate_date) < {{ as_of_date() }}
                then max(rate_date)
            else {{ as_of_date() }}
        end as last_day

    from stg_finance__fx_rates

),

generate_numbers as (

    {{ dbt.generate_series(max_days) }}

),

list_days as (

    select
        cast({{ dbt.dateadd('day', 'generate_numbers.generated_number - 1', 'find_first_day.first_day') }} as date)
            as pipeline_date,
        find_last_day.last_day

    from generate_numbers
    cross join find_first_day
    cross join find_last_day

),

keep_days_to_last_day as (

    select
        pipeline_date,
        {{ period_start('month', 'pipeline_date') }} as month_start_date,
        {{ period_start('quarter', 'pipeline_date') }} as quarter_start_date

    from list_days
    where pipeline_date <= last_day

)

select * from keep_days_to_last_day
