{#- Conform point of ad spend (issue 14), the input of the marketing models: the canonical
    landing contract's spend rows and the ad platforms' campaign-level daily spend (see
    int_ads__platform_spend; when any of vars using_google_ads, using_meta_ads,
    using_linkedin_ads), in the columns of stg_ads__spend. -#}
{%- set spend_columns = [
    'ad_spend_id', 'ad_account_id', 'campaign_id', 'platform', 'campaign_name', 'ad_group',
    'keyword', 'utm_source', 'utm_medium', 'utm_campaign', 'currency', 'spend_amount',
    'impressions', 'clicks', 'spend_date',
] -%}
{%- set using_platforms = var('using_google_ads') or var('using_meta_ads') or var('using_linkedin_ads') -%}

with

stg_ads__spend as (

    select * from {{ ref('stg_ads__spend') }}

),

{% if using_platforms -%}
int_ads__platform_spend as (

    select * from {{ ref('int_ads__platform_spend') }}

),

{% endif -%}
union_systems as (

    select
        {%- for column in spend_columns %}
        {{ column }},
        {%- endfor %}
        'canonical' as source_system

    from stg_ads__spend
    {%- if using_platforms %}

    union all

    select
        {%- for column in spend_columns %}
        {{ column }},
        {%- endfor %}
        platform as source_system

    from int_ads__platform_spend
    {%- endif %}

)

select * from union_systems
