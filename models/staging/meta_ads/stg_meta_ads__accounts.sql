with

source_columns as (

    {{ native_source(source('meta_ads', 'account_history'), [
        ['id', 'text'], ['currency', 'text'], ['name', 'text'], ['updated_time', 'timestamp'],
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
        {{ normalize_text('id', lowercase=false) }} as account_id,
        upper({{ normalize_text('currency', lowercase=false) }}) as currency,
        updated_time as updated_at

    from source

)

select * from renamed
