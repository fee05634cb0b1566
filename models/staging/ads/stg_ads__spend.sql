{%- set spend_date = adapter.quote('date') -%}
{%- set platform = normalize_text('platform') -%}
{%- set campaign_id = normalize_text('campaign_id', lowercase=false) -%}
{%- set ad_group = normalize_text('ad_group', lowercase=false) -%}
{%- set keyword = normalize_text('keyword') -%}

with

source as (

    {{ latest_version(
        source('ads', 'spend'),
        partition_by=[spend_date, platform, campaign_id, ad_group, keyword],
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ surrogate_key([spend_date, platform, campaign_id, ad_group, keyword]) }} as ad_spend_id,
        {{ normalize_text('account_id', lowercase=false) }} as ad_account_id,
        {{ redact_pii(campaign_id) }} as campaign_id,

        ---------- text
        {{ redact_pii(platform) }} as platform,
        {{ redact_pii(normalize_text('campaign_name', lowercase=false)) }} as campaign_name,
        {{ redact_pii(ad_group) }} as ad_group,
        {{ redact_pii(keyword) }} as keyword,
        {{ redact_pii(normalize_text('utm_source')) }} as utm_source,
        {{ redact_pii(normalize_text('utm_medium')) }} as utm_medium,
        {{ redact_pii(normalize_text('utm_campaign')) }} as utm_campaign,
        upper({{ redact_pii(normalize_text('currency', lowercase=false)) }}) as currency,

        ---------- numerics
        spend as spend_amount,
        impressions,
        clicks,

        ---------- dates
        {{ spend_date }} as spend_date

    from source

)

select * from renamed
