{#- Salesforce dated exchange rates (DatedConversionRate: units of a currency per unit of the
    corporate currency, from StartDate until the day before NextStartDate) as daily rates to
    the reporting currency, in the shape of stg_finance__fx_rates: rate(X) =
    rate(reporting currency) / rate(X) on the same day. An open-ended last rate runs to the
    build's as-of date. The corporate currency (var('salesforce_corporate_currency'), else the
    reporting currency) is 1 on every day some rate covers. -#}

{%- set reporting = var('reporting_currency') | upper -%}
{%- set corporate = (var('salesforce_corporate_currency') or var('reporting_currency')) | upper -%}

with

stg_salesforce__dated_conversion_rates as (

    select * from {{ ref('stg_salesforce__dated_conversion_rates') }}

),

bound_periods as (

    select
        currency,
        conversion_rate,
        start_date,
        cast(coalesce(
            {{ dbt.dateadd('day', -1, 'next_start_date') }},
            greatest(start_date, {{ as_of_date() }})
        ) as date) as end_date

    from stg_salesforce__dated_conversion_rates
    where conversion_rate > 0

),

find_day_range as (

    select
        min(start_date) as first_day,
        max(end_date) as last_day

    from bound_periods

),

list_days as (

    {{ date_spine('day', 'first_day', 'last_day', 'find_day_range', 'rate_date') }}

),

expand_days as (

    select
        list_days.rate_date,
        bound_periods.currency,
        bound_periods.conversion_rate

    from bound_periods
    inner join list_days
        on list_days.rate_date between bound_periods.start_date and bound_periods.end_date

    union all

    select
        rate_date,
        '{{ corporate }}' as currency,
        1 as conversion_rate

    from list_days
    where not exists (
            select 1 as is_covered from bound_periods
            where bound_periods.currency = '{{ corporate }}'
        )

),

find_reporting_rates as (

    select
        rate_date,
        conversion_rate as reporting_rate
    from expand_days
    where currency = '{{ reporting }}'

)

select
    {{ surrogate_key(['expand_days.rate_date', 'expand_days.currency']) }} as fx_rate_id,
    expand_days.currency,
    cast(find_reporting_rates.reporting_rate / expand_days.conversion_rate as decimal(38, 9))
        as rate_to_reporting,
    expand_days.rate_date,
    'salesforce' as source_system

from expand_days
inner join find_reporting_rates
    on expand_days.rate_date = find_reporting_rates.rate_date
