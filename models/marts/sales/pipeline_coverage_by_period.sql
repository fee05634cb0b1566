with

int_sales_quotas as (

    select * from {{ ref('int_sales_quotas') }}

),

int_sales_quota_pipeline_deals as (

    select * from {{ ref('int_sales_quota_pipeline_deals') }}

),

summarize_quota_pipelines as (

    select
        quota_id,
        count(*) as open_deal_count,
        sum(amount_reporting) as open_pipeline_amount_reporting,
        sum(weighted_amount_reporting) as weighted_pipeline_amount_reporting

    from int_sales_quota_pipeline_deals
    group by quota_id

),

list_owner_rows as (

    select
        'owner' as coverage_level,
        int_sales_quotas.period_start_date,
        int_sales_quotas.period_end_date,
        int_sales_quotas.owner_team,
        int_sales_quotas.owner_id,
        int_sales_quotas.owner_name,
        1 as quota_count,
        int_sales_quotas.quota_amount_reporting,
        coalesce(summarize_quota_pipelines.open_deal_count, 0) as open_deal_count,
        coalesce(summarize_quota_pipelines.open_pipeline_amount_reporting, 0) as open_pipeline_amount_reporting,
        coalesce(summarize_quota_pipelines.weighted_pipeline_amount_reporting, 0)
            as weighted_pipeline_amount_reporting

    from int_sales_quotas
    left join summarize_quota_pipelines
        on int_sales_quotas.quota_id = summarize_quota_pipelines.quota_id

),

roll_up_teams as (

    select
        'team' as coverage_level,
        period_start_date,
        period_end_date,
        owner_team,
        cast(null as {{ dbt.type_string() }}) as owner_id,
        cast(null as {{ dbt.type_string() }}) as owner_name,
        sum(quota_count) as quota_count,
        sum(quota_amount_reporting) as quota_amount_reporting,
        sum(open_deal_count) as open_deal_count,
        sum(open_pipeline_amount_reporting) as open_pipeline_amount_reporting,
        sum(weighted_pipeline_amount_reporting) as weighted_pipeline_amount_reporting

    from list_owner_rows
    group by period_start_date, period_end_date, owner_team

),

roll_up_totals as (

    select
        'total' as coverage_level,
        period_start_date,
        period_end_date,
        cast(null as {{ dbt.type_string() }}) as owner_team,
        cast(null as {{ dbt.type_string() }}) as owner_id,
        cast(null as {{ dbt.type_string() }}) as owner_name,
        sum(quota_count) as quota_count,
        sum(quota_amount_reporting) as quota_amount_reporting,
        sum(open_deal_count) as open_deal_count,
        sum(open_pipeline_amount_reporting) as open_pipeline_amount_reporting,
        sum(weighted_pipeline_amount_reporting) as weighted_pipeline_amount_reporting

    from list_owner_rows
    group by period_start_date, period_end_date

),

union_levels as (

    select * from list_owner_rows

    union all

    select * from roll_up_teams

    union all

    select * from roll_up_totals

),

compute_coverage as (

    select
        *,
        {{ safe_divide('open_pipeline_amount_reporting', 'quota_amount_reporting') }} as pipeline_coverage,
        {{ safe_divide('weighted_pipeline_amount_reporting', 'quota_amount_reporting') }}
            as weighted_pipeline_coverage,
        {{ as_of_date() }} as as_of_date

    from union_levels

)

select * from compute_coverage
