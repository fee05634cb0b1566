with

source as (

    {{ native_source(source('salesforce', 'account'), [
        ['id', 'text'], ['name', 'text'], ['website', 'text'], ['is_deleted', 'boolean'],
        ['last_modified_date', 'timestamp'], ['system_modstamp', 'timestamp'],
    ]) }}

),

keep_latest_versions as (

    {{ latest_version(
        'source',
        partition_by=normalize_text('id', lowercase=false),
        order_by='coalesce(system_modstamp, last_modified_date) desc nulls last',
    ) }}

),

renamed as (

    select
        {{ normalize_text('id', lowercase=false) }} as account_id,
        {{ normalize_text('name', lowercase=false) }} as account_name,
        {{ normalize_domain('website') }} as account_domain,
        coalesce(is_deleted, false) as is_deleted

    from keep_latest_versions

)

select * from renamed
