with

source as (

    {{ latest_version(
        source('google_ads', 'account_history'),
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
