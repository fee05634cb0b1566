{#- The open pipeline at the start of every day, per stage and currency, computed from the
    changes of deal versions instead of joining every version to every day, so the work grows
    with the number of versions plus days x stages x currencies, not with versions x days.
    A version counts on day D when deal_version_standing_on(D) holds: valid_from_date < D and
    (valid_to_date is null or valid_to_date >= D), i.e. from valid_from_date + 1 up to and
    including valid_to_date. -#}

with

int_deal_versions as (

    select * from {{ ref('int_deal_versions') }}

),

int_sales_pipeline_days as (

    select * from {{ ref('int_sales_pipeline_days') }}

),

stg_finance__fx_rates as (

    select * from {{ ref('int_conformed__fx_rates') }}

),

list_open_versions as (

    select
        deal_id,
        stage_key,
        currency,
        coalesce(amount, 0) as amount,
        valid_from_date,
        valid_to_date

    from int_deal_versions
    where is_open_stage
        and not is_deleted

),

list_changes as (

    select
        {{ next_day('valid_from_date') }} as change_date,
        stage_key,
        currency,
        1 as deal_count_change,
        amount as amount_change

    from list_open_versions

    union all

    select
        {{ next_day('valid_to_date') }} as change_date,
        stage_key,
        currency,
        -1 as deal_count_change,
        -amount as amount_change

    from list_open_versions
    where valid_to_date is not null

),

sum_changes_by_day as (

    select
        change_date,
        stage_key,
        currency,
        sum(deal_count_change) as deal_count_change,
        sum(amount_change) as amount_change

    from list_changes
    group by change_date, stage_key, currency

),

list_series as (

    select distinct
        stage_key,
        currency

    from list_open_versions

),

spread_series_over_days as (

    select
        int_sales_pipeline_days.pipeline_date,
        list_series.stage_key,
        list_series.currency

    from int_sales_pipeline_days
    cross join list_series

),

join_changes as (

    select
        spread_series_over_days.pipeline_date,
        spread_series_over_days.stage_key,
        spread_series_over_days.currency,
        coalesce(sum_changes_by_day.deal_count_change, 0) as deal_count_change,
        coalesce(sum_changes_by_day.amount_change, 0) as amount_change

    from spread_series_over_days
    left join sum_changes_by_day
        on spread_series_over_days.pipeline_date = sum_changes_by_day.change_date
        and spread_series_over_days.stage_key = sum_changes_by_day.stage_key
        and (
            spread_series_over_days.currency = sum_changes_by_day.currency
            or (spread_series_over_days.currency is null and sum_changes_by_day.currency is null)
        )

),

accumulate_changes as (

    select
        pipeline_date,
        stage_key,
        currency,
        sum(deal_count_change) over (
            partition by stage_key, currency
            order by pipeline_date
            rows between unbounded preceding and current row
        ) as open_deal_count,
        sum(amount_change) over (
            partition by stage_key, currency
            order by pipeline_date
            rows between unbounded preceding and current row
        ) as open_amount

    from join_changes

),

convert_amounts as (

    select
        accumulate_changes.pipeline_date,
        accumulate_changes.stage_key,
        accumulate_changes.currency,
        accumulate_changes.open_deal_count,
        {# decimal(38, 9) on every engine, as DuckDB types these sums (PostgreSQL's are
            unconstrained numerics) #}
        cast(accumulate_changes.open_amount as decimal(38, 9)) as open_amount,
        stg_finance__fx_rates.rate_to_reporting as fx_rate,
        cast(
            case
                when accumulate_changes.open_deal_count = 0 then 0
                else {{ to_reporting_currency(
                    'accumulate_changes.open_amount', 'accumulate_changes.currency', 'stg_finance__fx_rates.rate_to_reporting'
                ) }}
            end
            as decimal(38, 9)
        ) as open_amount_reporting

    from accumulate_changes
    left join stg_finance__fx_rates
        on accumulate_changes.pipeline_date = stg_finance__fx_rates.rate_date
        and accumulate_changes.currency = stg_finance__fx_rates.currency

)

select * from convert_amounts
