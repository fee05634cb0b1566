with

stg_ads__spend as (

    select * from {{ ref('stg_ads__spend') }}

),

stg_finance__fx_rates as (

    select * from {{ ref('int_conformed__fx_rates') }}

),

map_channels as (

    {{ map_channel(
        'stg_ads__spend',
        source_column='utm_source',
        medium_column='utm_medium',
    ) }}

),

convert_to_reporting_currency as (

    select

        ----------  ids
        map_channels.ad_spend_id,
        map_channels.ad_account_id,
        map_channels.campaign_id,

        ---------- text
        map_channels.platform,
        map_channels.campaign_name,
        map_channels.ad_group,
        map_channels.keyword,
        map_channels.utm_source,
        map_channels.utm_medium,
        map_channels.utm_campaign,
        map_channels.channel,
        map_channels.currency,

        ---------- numerics
        map_channels.spend_amount,
        stg_finance__fx_rates.rate_to_reporting as fx_rate,
        cast(
            {{ to_reporting_currency(
                'map_channels.spend_amount', 'map_channels.currency', 'stg_finance__fx_rates.rate_to_reporting'
            ) }} as decimal(38, 9)
        ) as spend_amount_reporting,
        map_channels.impressions,
        map_channels.clicks,

        ---------- dates
        map_channels.spend_date,
        cast({{ dbt.date_trunc('month', 'map_channels.spend_date') }} as date) as spend_month

    from map_channels
    left join stg_finance__fx_rates
        on map_channels.currency = stg_finance__fx_rates.currency
        and map_channels.spend_date = stg_finance__fx_rates.rate_date

)

select * from convert_to_reporting_currency
