with

source_columns as (

    {{ native_source(source('google_ads', 'account_history'), [
        ['id', 'text'], ['currency_code', 'text'], ['descriptive_name', 'text'],
        ['updated_at', 'timestamp'],
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
        {{ normalize_text('id', lowercase=false) }} as account_id,
        upper({{ normalize_text('currency_code', lowercase=false) }}) as currency,
        updated_at

    from source

)

select * from renamed
