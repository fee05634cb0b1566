with

source_columns as (

    {{ native_source(source('meta_ads', 'campaign_history'), [
        ['id', 'text'], ['name', 'text'], ['account_id', 'text'], ['updated_time', 'timestamp'],
    ]) }}

),

source as (

    {{ latest_version(
        'source_columns',
        partition_by=normalize_text('id', lowercase=false),
        order_by='updated_time desc',
    ) }}

),

renamed as (

    select
        {{ normalize_text('id', lowercase=false) }} as campaign_id,
        {{ normalize_text('account_id', lowercase=false) }} as account_id,
        {{ normalize_text('name', lowercase=false) }} as campaign_name,
        updated_time as updated_at

    from source

)

select * from renamed
