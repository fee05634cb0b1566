with

source_columns as (

    {{ native_source(source('google_ads', 'campaign_history'), [
        ['id', 'text'], ['name', 'text'], ['customer_id', 'text'], ['updated_at', 'timestamp'],
    ]) }}

),

source as (

    {{ latest_version(
        'source_columns',
        partition_by=normalize_text('id', lowercase=false),
        order_by='updated_at desc',
    ) }}

),

renamed as (

    select
        {{ normalize_text('id', lowercase=false) }} as campaign_id,
        {{ normalize_text('customer_id', lowercase=false) }} as account_id,
        {{ normalize_text('name', lowercase=false) }} as campaign_name,
        updated_at

    from source

)

select * from renamed
