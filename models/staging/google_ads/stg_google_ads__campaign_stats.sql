{#- One row per report key; a key landed more than once (a restated day, or the same day in
    two files) keeps the copy loaded last and is flagged with landed_copy_count. -#}
{%- set keys = [
    adapter.quote('date'),
    normalize_text('customer_id', lowercase=false),
    normalize_text('id', lowercase=false),
    "coalesce(" ~ normalize_text('device') ~ ", '')",
    "coalesce(" ~ normalize_text('ad_network_type') ~ ", '')",
] -%}

with

source_columns as (

    {{ native_source(source('google_ads', 'campaign_stats'), [
        ['date', 'date'], ['customer_id', 'text'], ['id', 'text'], ['cost_micros', 'integer'],
        ['device', 'text'], ['ad_network_type', 'text'], ['impressions', 'integer'],
        ['clicks', 'integer'],
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
        {{ normalize_text('customer_id', lowercase=false) }} as account_id,
        {{ normalize_text('id', lowercase=false) }} as campaign_id,

        ---------- text
        {{ normalize_text('device') }} as device,
        {{ normalize_text('ad_network_type') }} as ad_network_type,

        ---------- numerics
        {# Google reports cost in micros of the account's currency #}
        cast(cast(cost_micros as decimal(38, 0)) * 0.000001 as decimal(38, 9)) as spend_amount,
        impressions,
        clicks,
        landed_copy_count,

        ---------- booleans
        cost_micros < 0 as has_negative_spend,

        ---------- dates
        {{ adapter.quote('date') }} as spend_date

    from source

)

select * from renamed
