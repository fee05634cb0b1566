with

source as (

    {{ native_source(source('salesforce', 'user_role'), [
        ['id', 'text'], ['name', 'text'], ['last_modified_date', 'timestamp'],
        ['system_modstamp', 'timestamp'],
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
        {{ normalize_text('id', lowercase=false) }} as user_role_id,
        {{ normalize_text('name', lowercase=false) }} as role_name

    from keep_latest_versions

)

select * from renamed
