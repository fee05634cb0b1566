{#- Every day from the day after the first deal version to the last fx rate day (not after
    the as-of date), inside the plausible-date window (plausible_date_from /
    plausible_date_to), whatever date a version carries (date_spine). -#}

with

int_deal_versions as (

    select * from {{ ref('int_deal_versions') }}

),

stg_finance__fx_rates as (

    select * from {{ ref('int_conformed__fx_rates') }}

),

find_first_day as (

    select
        case
            when min(valid_from_date) < {{ plausible_date_from() }} then {{ plausible_date_from() }}
            else {{ next_day('min(valid_from_date)') }}
        end as first_day

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

find_day_range as (

    select
        find_first_day.first_day,
        case
            when find_last_day.last_day > {{ plausible_date_to() }} then {{ plausible_date_to() }}
            else find_last_day.last_day
        end as last_day

    from find_first_day
    cross join find_last_day

),

list_days as (

    {{ date_spine('day', 'first_day', 'last_day', 'find_day_range', 'pipeline_date') }}

),

add_periods as (

    select
        pipeline_date,
        {{ period_start('month', 'pipeline_date') }} as month_start_date,
        {{ period_start('quarter', 'pipeline_date') }} as quarter_start_date

    from list_days

)

select * from add_periods
