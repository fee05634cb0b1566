{#- Where ad spend meets the funnel (issue 14): every campaign's monthly spend with the number
    of leads whose acquisition UTM tags (source, medium, campaign) are the campaign's. Spend of
    a campaign no lead ever came through is not dropped: its rows say is_matched = false, so
    CPL and CAC (marketing_efficiency_by_month) can be read with the amount they could not
    place. -#}
with

int_marketing_spend as (

    select * from {{ ref('int_marketing_spend') }}

),

fct_funnel as (

    select * from {{ ref('fct_funnel') }}

),

count_leads_per_utm as (

    select
        acquisition_source as utm_source,
        acquisition_medium as utm_medium,
        acquisition_campaign as utm_campaign,
        count(*) as lead_count

    from fct_funnel
    group by acquisition_source, acquisition_medium, acquisition_campaign

),

sum_campaign_months as (

    select
        spend_month,
        platform,
        campaign_id,
        max(campaign_name) as campaign_name,
        channel,
        utm_source,
        utm_medium,
        utm_campaign,
        cast(sum(spend_amount_reporting) as decimal(38, 9)) as spend_amount_reporting,
        sum(impressions) as impressions,
        sum(clicks) as clicks

    from int_marketing_spend
    group by spend_month, platform, campaign_id, channel, utm_source, utm_medium, utm_campaign

),

match_leads as (

    select

        ----------  ids
        {{ surrogate_key([
            'sum_campaign_months.spend_month', 'sum_campaign_months.platform',
            'sum_campaign_months.campaign_id', 'sum_campaign_months.utm_source',
            'sum_campaign_months.utm_medium', 'sum_campaign_months.utm_campaign',
        ]) }} as ad_spend_matching_id,
        sum_campaign_months.campaign_id,

        ---------- text
        sum_campaign_months.platform,
        sum_campaign_months.campaign_name,
        sum_campaign_months.channel,
        sum_campaign_months.utm_source,
        sum_campaign_months.utm_medium,
        sum_campaign_months.utm_campaign,

        ---------- numerics
        sum_campaign_months.spend_amount_reporting,
        sum_campaign_months.impressions,
        sum_campaign_months.clicks,
        coalesce(count_leads_per_utm.lead_count, 0) as lead_count,

        ---------- booleans
        count_leads_per_utm.lead_count is not null as is_matched,

        ---------- dates
        sum_campaign_months.spend_month

    from sum_campaign_months
    left join count_leads_per_utm
        on sum_campaign_months.utm_source = count_leads_per_utm.utm_source
        and sum_campaign_months.utm_medium = count_leads_per_utm.utm_medium
        and sum_campaign_months.utm_campaign = count_leads_per_utm.utm_campaign

)

select * from match_leads
