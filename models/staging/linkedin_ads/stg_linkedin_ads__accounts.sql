with

source_columns as (

    {{ native_source(source('linkedin_ads', 'account_history'), [
        ['id', 'text'], ['currency', 'text'], ['name', 'text'], ['last_modified_time', 'timestamp'],
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
        {{ normalize_text('id', lowercase=false) }} as account_id,
        upper({{ normalize_text('currency', lowercase=false) }}) as currency,
        last_modified_time as updated_at

    from source

)

select * from renamed
