{#- issue 14: canonical spend and the ad platforms of var('native_ad_platforms') (int_ads__spend) -#}
{{ conform(
    'spend', 'stg_ads__spend',
    ['ad_spend_id', 'ad_account_id', 'campaign_id', 'platform', 'campaign_name', 'ad_group',
     'keyword', 'utm_source', 'utm_medium', 'utm_campaign', 'currency', 'spend_amount',
     'impressions', 'clicks', 'spend_date'],
    add_source_system=true, systems=['ads'] if active_native_systems('native_ad_platforms') else [],
) }}
