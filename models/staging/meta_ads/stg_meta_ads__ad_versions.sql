{#- One row per ad version (ad id + updated_time): the campaign the ad belonged to from
    valid_from until the next version's valid_from (valid_to, null for the current one). The
    first version is taken as valid from the beginning, so report rows dated before it still
    find a campaign. -#}
{%- set ad_id = normalize_text('id', lowercase=false) -%}

with

source_columns as (

    {{ native_source(source('meta_ads', 'ad_history'), [
        ['id', 'text'], ['campaign_id', 'text'], ['account_id', 'text'], ['name', 'text'],
        ['updated_time', 'timestamp'],
    ]) }}

),

source as (

    {{ latest_version(
        'source_columns',
        partition_by=[ad_id, 'updated_time'],
    ) }}

),

renamed as (

    select
        {{ ad_id }} as ad_id,
        {{ normalize_text('campaign_id', lowercase=false) }} as campaign_id,
        {{ normalize_text('account_id', lowercase=false) }} as account_id,
        updated_time as updated_at

    from source

),

add_validity as (

    select
        *,
        case
            when row_number() over (partition by ad_id order by updated_at nulls last) = 1
                then cast('1900-01-01' as timestamp)
            else updated_at
        end as valid_from,
        lead(updated_at) over (partition by ad_id order by updated_at nulls last) as valid_to

    from renamed

)

select * from add_validity
