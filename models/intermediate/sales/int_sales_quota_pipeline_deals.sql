with

int_sales_quotas as (

    select * from {{ ref('int_sales_quotas') }}

),

int_deal_versions as (

    select * from {{ ref('int_deal_versions') }}

),

stg_finance__fx_rates as (

    select * from {{ ref('int_conformed__fx_rates') }}

),

find_pipeline_deals as (

    select
        int_sales_quotas.quota_id,
        int_sales_quotas.owner_id,
        int_sales_quotas.period_start_date,
        int_sales_quotas.period_end_date,
        int_deal_versions.deal_id,
        int_deal_versions.deal_version_id,
        int_deal_versions.stage_key,
        int_deal_versions.win_probability,
        int_deal_versions.currency,
        int_deal_versions.amount,
        int_deal_versions.expected_close_date

    from int_sales_quotas
    inner join int_deal_versions
        on int_sales_quotas.owner_id = int_deal_versions.owner_id
        and {{ deal_version_standing_on('int_sales_quotas.period_start_date', 'int_deal_versions') }}
    where {{ deal_version_expected_to_close_in(
        'int_sales_quotas.period_start_date', 'int_sales_quotas.period_end_date', 'int_deal_versions'
    ) }}

),

convert_amounts as (

    select
        find_pipeline_deals.*,
        stg_finance__fx_rates.rate_to_reporting as fx_rate,
        {{ to_reporting_currency(
            'find_pipeline_deals.amount', 'find_pipeline_deals.currency', 'stg_finance__fx_rates.rate_to_reporting'
        ) }} as amount_reporting

    from find_pipeline_deals
    left join stg_finance__fx_rates
        on find_pipeline_deals.period_start_date = stg_finance__fx_rates.rate_date
        and find_pipeline_deals.currency = stg_finance__fx_rates.currency

),

weight_amounts as (

    select
        *,
        {{ multiply_amount_by_rate('amount_reporting', 'win_probability') }} as weighted_amount_reporting

    from convert_amounts

)

select * from weight_amounts
