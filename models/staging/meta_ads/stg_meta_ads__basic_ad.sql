{#- One row per ad and day; a key landed more than once keeps the copy loaded last and is
    flagged with landed_copy_count. -#}
{%- set keys = [adapter.quote('date'), normalize_text('ad_id', lowercase=false)] -%}

with

source_columns as (

    {{ native_source(source('meta_ads', 'basic_ad'), [
        ['ad_id', 'text'], ['date', 'date'], ['spend', 'decimal'], ['account_id', 'text'],
        ['impressions', 'integer'], ['inline_link_clicks', 'integer'],
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
        {{ normalize_text('ad_id', lowercase=false) }} as ad_id,
        {{ normalize_text('account_id', lowercase=false) }} as account_id,

        ---------- numerics
        cast(spend as decimal(38, 9)) as spend_amount,
        impressions,
        inline_link_clicks as clicks,
        landed_copy_count,

        ---------- booleans
        spend < 0 as has_negative_spend,

        ---------- dates
        {{ adapter.quote('date') }} as spend_date

    from source

)

select * from renamed
