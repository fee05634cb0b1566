{#- Campaign-level daily spend of the ad platforms listed in var('native_ad_platforms')
    (google_ads, meta_ads, linkedin_ads) in the columns of stg_ads__spend: several report rows of one
    campaign and day summed (Google's rows per device and network; Meta's rows per ad, each ad
    counted in the campaign its ad_history version of that day names), the currency from the
    account dictionary, the UTM tags from the ad_campaign_utm_mapping seed (the campaign's row,
    else the platform's '*' row; utm_campaign else the campaign name in snake_case). Campaign
    reports carry no ad group or keyword: both are null. -#}
{%- set platforms = active_native_systems('native_ad_platforms') -%}
{#- the linter's stand-in for var() is a string: render every platform then -#}
{%- if platforms is string -%}
{%- set platforms = ['google_ads', 'meta_ads', 'linkedin_ads'] -%}
{%- endif -%}

with

{% if 'google_ads' in platforms -%}
stg_google_ads__campaign_stats as (

    select * from {{ ref('stg_google_ads__campaign_stats') }}

),

stg_google_ads__campaigns as (

    select * from {{ ref('stg_google_ads__campaigns') }}

),

stg_google_ads__accounts as (

    select * from {{ ref('stg_google_ads__accounts') }}

),

sum_google_ads as (

    select
        'google_ads' as platform,
        account_id,
        campaign_id,
        spend_date,
        sum(spend_amount) as spend_amount,
        sum(impressions) as impressions,
        sum(clicks) as clicks

    from stg_google_ads__campaign_stats
    group by
        account_id,
        campaign_id,
        spend_date

),

describe_google_ads as (

    select
        sum_google_ads.*,
        stg_google_ads__campaigns.campaign_name,
        stg_google_ads__accounts.currency

    from sum_google_ads
    left join stg_google_ads__campaigns
        on sum_google_ads.campaign_id = stg_google_ads__campaigns.campaign_id
    left join stg_google_ads__accounts
        on sum_google_ads.account_id = stg_google_ads__accounts.account_id

),

{% endif -%}
{% if 'meta_ads' in platforms -%}
stg_meta_ads__basic_ad as (

    select * from {{ ref('stg_meta_ads__basic_ad') }}

),

stg_meta_ads__ad_versions as (

    select * from {{ ref('stg_meta_ads__ad_versions') }}

),

stg_meta_ads__campaigns as (

    select * from {{ ref('stg_meta_ads__campaigns') }}

),

stg_meta_ads__accounts as (

    select * from {{ ref('stg_meta_ads__accounts') }}

),

sum_meta_ads as (

    select
        'meta_ads' as platform,
        stg_meta_ads__basic_ad.account_id,
        stg_meta_ads__ad_versions.campaign_id,
        stg_meta_ads__basic_ad.spend_date,
        sum(stg_meta_ads__basic_ad.spend_amount) as spend_amount,
        sum(stg_meta_ads__basic_ad.impressions) as impressions,
        sum(stg_meta_ads__basic_ad.clicks) as clicks

    from stg_meta_ads__basic_ad
    left join stg_meta_ads__ad_versions
        on stg_meta_ads__basic_ad.ad_id = stg_meta_ads__ad_versions.ad_id
        and stg_meta_ads__ad_versions.valid_from < {{ dbt.dateadd('day', 1, 'stg_meta_ads__basic_ad.spend_date') }}
        and (
            stg_meta_ads__ad_versions.valid_to is null
            or stg_meta_ads__ad_versions.valid_to >= {{ dbt.dateadd('day', 1, 'stg_meta_ads__basic_ad.spend_date') }}
        )
    group by
        stg_meta_ads__basic_ad.account_id,
        stg_meta_ads__ad_versions.campaign_id,
        stg_meta_ads__basic_ad.spend_date

),

describe_meta_ads as (

    select
        sum_meta_ads.*,
        stg_meta_ads__campaigns.campaign_name,
        stg_meta_ads__accounts.currency

    from sum_meta_ads
    left join stg_meta_ads__campaigns
        on sum_meta_ads.campaign_id = stg_meta_ads__campaigns.campaign_id
    left join stg_meta_ads__accounts
        on sum_meta_ads.account_id = stg_meta_ads__accounts.account_id

),

{% endif -%}
{% if 'linkedin_ads' in platforms -%}
stg_linkedin_ads__ad_analytics_by_campaign as (

    select * from {{ ref('stg_linkedin_ads__ad_analytics_by_campaign') }}

),

stg_linkedin_ads__campaigns as (

    select * from {{ ref('stg_linkedin_ads__campaigns') }}

),

stg_linkedin_ads__accounts as (

    select * from {{ ref('stg_linkedin_ads__accounts') }}

),

sum_linkedin_ads as (

    select
        'linkedin_ads' as platform,
        stg_linkedin_ads__campaigns.account_id,
        stg_linkedin_ads__ad_analytics_by_campaign.campaign_id,
        stg_linkedin_ads__ad_analytics_by_campaign.spend_date,
        sum(stg_linkedin_ads__ad_analytics_by_campaign.spend_amount) as spend_amount,
        sum(stg_linkedin_ads__ad_analytics_by_campaign.impressions) as impressions,
        sum(stg_linkedin_ads__ad_analytics_by_campaign.clicks) as clicks

    from stg_linkedin_ads__ad_analytics_by_campaign
    left join stg_linkedin_ads__campaigns
        on stg_linkedin_ads__ad_analytics_by_campaign.campaign_id = stg_linkedin_ads__campaigns.campaign_id
    group by
        stg_linkedin_ads__campaigns.account_id,
        stg_linkedin_ads__ad_analytics_by_campaign.campaign_id,
        stg_linkedin_ads__ad_analytics_by_campaign.spend_date

),

describe_linkedin_ads as (

    select
        sum_linkedin_ads.*,
        stg_linkedin_ads__campaigns.campaign_name,
        stg_linkedin_ads__accounts.currency

    from sum_linkedin_ads
    left join stg_linkedin_ads__campaigns
        on sum_linkedin_ads.campaign_id = stg_linkedin_ads__campaigns.campaign_id
    left join stg_linkedin_ads__accounts
        on sum_linkedin_ads.account_id = stg_linkedin_ads__accounts.account_id

),

{% endif -%}
ad_campaign_utm_mapping as (

    select * from {{ ref('ad_campaign_utm_mapping') }}

),

union_platforms as (

    {% if not platforms -%}
    select
        cast(null as {{ dbt.type_string() }}) as platform,
        cast(null as {{ dbt.type_string() }}) as account_id,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as date) as spend_date,
        cast(null as decimal(38, 9)) as spend_amount,
        cast(null as {{ dbt.type_bigint() }}) as impressions,
        cast(null as {{ dbt.type_bigint() }}) as clicks,
        cast(null as {{ dbt.type_string() }}) as campaign_name,
        cast(null as {{ dbt.type_string() }}) as currency
    where 1 = 0
    {% endif -%}
    {% set union_members = namespace(count=0) -%}
    {% for platform in platforms -%}
    {% if union_members.count > 0 %}union all
    {% endif -%}
    select * from describe_{{ platform }}
    {% set union_members.count = union_members.count + 1 -%}
    {%- endfor %}

),

tag_utms as (

    select
        union_platforms.*,
        lower(coalesce(
            {{ normalize_text('campaign_rules.utm_source') }},
            {{ normalize_text('platform_rules.utm_source') }}
        )) as utm_source,
        lower(coalesce(
            {{ normalize_text('campaign_rules.utm_medium') }},
            {{ normalize_text('platform_rules.utm_medium') }}
        )) as utm_medium,
        lower(coalesce(
            {{ normalize_text('campaign_rules.utm_campaign') }},
            {{ normalize_text('platform_rules.utm_campaign') }},
            trim(both '_' from regexp_replace(lower(union_platforms.campaign_name), '[^a-z0-9]+', '_', 'g'))
        )) as utm_campaign

    from union_platforms
    left join ad_campaign_utm_mapping as campaign_rules
        on union_platforms.platform = campaign_rules.platform
        and union_platforms.campaign_id = campaign_rules.campaign_id
    left join ad_campaign_utm_mapping as platform_rules
        on union_platforms.platform = platform_rules.platform
        and platform_rules.campaign_id = '*'

),

conform as (

    select

        ----------  ids
        {{ surrogate_key(['platform', 'account_id', 'campaign_id', 'spend_date']) }} as ad_spend_id,
        account_id as ad_account_id,
        campaign_id,

        ---------- text
        platform,
        campaign_name,
        cast(null as {{ dbt.type_string() }}) as ad_group,
        cast(null as {{ dbt.type_string() }}) as keyword,
        utm_source,
        utm_medium,
        utm_campaign,
        currency,

        ---------- numerics
        spend_amount,
        impressions,
        clicks,

        ---------- dates
        spend_date,

        ---------- lineage
        platform as source_system

    from tag_utms

)

select * from conform
