with

int_sales_open_pipeline_daily as (

    select * from {{ ref('int_sales_open_pipeline_daily') }}

),

int_sales_pipeline_days as (

    select * from {{ ref('int_sales_pipeline_days') }}

),

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

list_open_deal_stages as (

    select
        stage_key,
        stage_order,
        win_probability

    from funnel_stages
    where entity_type = 'deal'
        and stage_order is not null
        and not is_terminal

),

sum_currencies as (

    select
        pipeline_date,
        stage_key,
        sum(open_deal_count) as open_deal_count,
        sum(open_amount_reporting) as open_amount_reporting

    from int_sales_open_pipeline_daily
    group by pipeline_date, stage_key

),

spread_stages_over_days as (

    select
        int_sales_pipeline_days.pipeline_date,
        list_open_deal_stages.stage_key,
        list_open_deal_stages.stage_order,
        list_open_deal_stages.win_probability

    from int_sales_pipeline_days
    cross join list_open_deal_stages

),

join_pipeline as (

    select
        spread_stages_over_days.pipeline_date as snapshot_date,
        spread_stages_over_days.stage_key,
        spread_stages_over_days.stage_order,
        spread_stages_over_days.win_probability,
        coalesce(sum_currencies.open_deal_count, 0) as open_deal_count,
        coalesce(sum_currencies.open_amount_reporting, 0) as open_amount_reporting,
        {{ multiply_amount_by_rate(
            'coalesce(sum_currencies.open_amount_reporting, 0)',
            'spread_stages_over_days.win_probability',
        ) }} as weighted_open_amount_reporting

    from spread_stages_over_days
    left join sum_currencies
        on spread_stages_over_days.pipeline_date = sum_currencies.pipeline_date
        and spread_stages_over_days.stage_key = sum_currencies.stage_key

)

select * from join_pipeline
