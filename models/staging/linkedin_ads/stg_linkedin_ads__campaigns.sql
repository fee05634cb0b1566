with

source_columns as (

    {{ native_source(source('linkedin_ads', 'campaign_history'), [
        ['id', 'text'], ['name', 'text'], ['account_id', 'text'],
        ['last_modified_time', 'timestamp'],
    ]) }}

),

source as (

    {{ latest_version(
        'source_columns',
        partition_by=normalize_text('id', lowercase=false),
        order_by='last_modified_time desc',
    ) }}

),

renamed as (

    select
        {{ normalize_text('id', lowercase=false) }} as campaign_id,
        {{ normalize_text('account_id', lowercase=false) }} as account_id,
        {{ normalize_text('name', lowercase=false) }} as campaign_name,
        last_modified_time as updated_at

    from source

)

select * from renamed
