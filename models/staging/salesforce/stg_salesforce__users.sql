with

source as (

    {{ native_source(source('salesforce', 'user'), [
        ['id', 'text'], ['name', 'text'], ['first_name', 'text'], ['last_name', 'text'],
        ['user_role_id', 'text'], ['is_active', 'boolean'], ['last_modified_date', 'timestamp'],
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

        ----------  ids
        {{ native_key('id', 'salesforce') }} as owner_id,
        {{ normalize_text('user_role_id', lowercase=false) }} as user_role_id,

        ---------- text
        coalesce(
            {{ normalize_text('name', lowercase=false) }},
            nullif(trim(concat(coalesce(first_name, ''), ' ', coalesce(last_name, ''))), '')
        ) as owner_name,

        ---------- booleans
        coalesce(is_active, true) as is_active

    from keep_latest_versions

)

select * from renamed
