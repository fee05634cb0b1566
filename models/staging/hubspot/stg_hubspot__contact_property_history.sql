{%- set contact_id = normalize_text('contact_id', lowercase=false) -%}
{%- set property_name = normalize_text('name') -%}
{%- set property_value = normalize_text('value', lowercase=false) -%}

with

source as (

    {{ hubspot_source(source('hubspot', 'contact_property_history'), [
        ['contact_id', 'text'], ['name', 'text'], ['value', 'text'], ['timestamp', 'timestamp'],
        ['source', 'text'],
    ]) }}

),

keep_distinct_rows as (

    {{ latest_version(
        'source',
        partition_by=[contact_id, property_name, adapter.quote('timestamp'), "coalesce(" ~ property_value ~ ", '')"],
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ surrogate_key([contact_id, property_name, adapter.quote('timestamp'), property_value]) }} as contact_property_change_id,
        {{ contact_id }} as hubspot_contact_id,

        ---------- text
        {{ property_name }} as property_name,
        {{ property_value }} as property_value,
        {{ normalize_text('source', lowercase=false) }} as change_source,
        _source_file as source_file,

        ---------- numerics
        _source_line as source_line,

        ---------- timestamps
        {{ adapter.quote('timestamp') }} as changed_at

    from keep_distinct_rows

)

select * from renamed
