{%- set updated_at = 'coalesce(system_modstamp, last_modified_date, created_date)' -%}

with

source as (

    {{ native_source(source('salesforce', 'opportunity_contact_role'), [
        ['id', 'text'], ['opportunity_id', 'text'], ['contact_id', 'text'],
        ['is_primary', 'boolean'], ['role', 'text'], ['created_date', 'timestamp'],
        ['is_deleted', 'boolean'], ['last_modified_date', 'timestamp'],
        ['system_modstamp', 'timestamp'],
    ]) }}

),

keep_latest_versions as (

    {{ latest_version(
        'source',
        partition_by=normalize_text('id', lowercase=false),
        order_by=updated_at ~ ' desc nulls last',
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ native_key('id', 'salesforce') }} as opportunity_contact_role_id,
        {{ native_key('opportunity_id', 'salesforce') }} as deal_id,
        {{ native_key('contact_id', 'salesforce') }} as contact_id,

        ---------- text
        {{ normalize_text('role', lowercase=false) }} as contact_role,

        ---------- booleans
        coalesce(is_primary, false) as is_primary,
        coalesce(is_deleted, false) as is_deleted,

        ---------- timestamps
        created_date as created_at,
        {{ updated_at }} as updated_at

    from keep_latest_versions

)

select * from renamed
