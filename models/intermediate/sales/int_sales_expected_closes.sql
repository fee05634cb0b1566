with

int_deal_versions as (

    select * from {{ ref('int_deal_versions') }}

),

int_sales_pipeline_days as (

    select * from {{ ref('int_sales_pipeline_days') }}

),

list_periods as (

    {%- for period_grain in sales_period_grains() %}

    select
        '{{ period_grain }}' as period_grain,
        {{ period_grain }}_start_date as period_start_date,
        {{ period_end(period_grain, period_grain ~ '_start_date') }} as period_end_date

    from int_sales_pipeline_days
    where {{ period_grain }}_start_date = pipeline_date
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

),

find_expected_deals as (

    select
        list_periods.period_grain,
        list_periods.period_start_date,
        list_periods.period_end_date,
        versions_at_start.deal_id,
        versions_at_start.deal_version_id as start_deal_version_id,
        versions_at_start.owner_id,
        versions_at_start.stage_key as start_stage_key,
        versions_at_start.expected_close_date

    from list_periods
    inner join int_deal_versions as versions_at_start
        on {{ deal_version_standing_on('list_periods.period_start_date', 'versions_at_start') }}
    where {{ deal_version_expected_to_close_in(
        'list_periods.period_start_date', 'list_periods.period_end_date', 'versions_at_start'
    ) }}

),

find_end_states as (

    select
        find_expected_deals.*,
        versions_at_end.deal_version_id as end_deal_version_id,
        versions_at_end.stage_key as end_stage_key,
        versions_at_end.is_won_stage and not versions_at_end.is_deleted as is_won_by_end,
        versions_at_end.is_lost_stage and not versions_at_end.is_deleted as is_lost_by_end,
        versions_at_end.is_deleted as is_deleted_by_end

    from find_expected_deals
    inner join int_deal_versions as versions_at_end
        on find_expected_deals.deal_id = versions_at_end.deal_id
        and {{ deal_version_standing_on(
            next_day('find_expected_deals.period_end_date'), 'versions_at_end'
        ) }}

),

flag_slipped_deals as (

    select
        *,
        not is_won_by_end and not is_lost_by_end as is_slipped

    from find_end_states

)

select * from flag_slipped_deals
