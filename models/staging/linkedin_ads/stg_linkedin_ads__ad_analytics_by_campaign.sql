{#- One row per campaign and day; a key landed more than once keeps the copy loaded last and
    is flagged with landed_copy_count. -#}
{%- set keys = ['day', normalize_text('campaign_id', lowercase=false)] -%}

with

source_columns as (

    {{ native_source(source('linkedin_ads', 'ad_analytics_by_campaign'), [
        ['campaign_id', 'text'], ['day', 'date'], ['cost_in_local_currency', 'decimal'],
        ['impressions', 'integer'], ['clicks', 'integer'],
    ]) }}

),

count_copies as (

    select
        *,
        count(*) over (partition by {{ keys | join(', ') }}) as landed_copy_count

    from source_columns

),

source as (

    {{ latest_version('count_copies', partition_by=keys) }}

),

renamed as (

    select

        ----------  ids
        {{ normalize_text('campaign_id', lowercase=false) }} as campaign_id,

        ---------- numerics
        {# LinkedIn reports cost in the account's currency (cost_in_usd is a second figure) #}
        cast(cost_in_local_currency as decimal(38, 9)) as spend_amount,
        impressions,
        clicks,
        landed_copy_count,

        ---------- booleans
        cost_in_local_currency < 0 as has_negative_spend,

        ---------- dates
        cast(day as date) as spend_date

    from source

)

select * from renamed
