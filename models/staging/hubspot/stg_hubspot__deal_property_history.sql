{%- set deal_id = normalize_text('deal_id', lowercase=false) -%}
{%- set property_name = normalize_text('name') -%}
{%- set property_value = normalize_text('value', lowercase=false) -%}

with

source as (

    {{ hubspot_source(source('hubspot', 'deal_property_history'), [
        ['deal_id', 'text'], ['name', 'text'], ['value', 'text'], ['timestamp', 'timestamp'],
        ['source', 'text'],
    ]) }}

),

keep_distinct_rows as (

    {{ latest_version(
        'source',
        partition_by=[deal_id, property_name, adapter.quote('timestamp'), "coalesce(" ~ property_value ~ ", '')"],
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ surrogate_key([deal_id, adapter.quote('timestamp'), property_value]) }} as deal_property_change_id,
        {{ native_key('deal_id', 'hubspot') }} as deal_id,

        ---------- text
        {{ property_name }} as property_name,
        {{ property_value }} as property_value,
        _source_file as source_file,

        ---------- numerics
        _source_line as source_line,

        ---------- timestamps
        {{ adapter.quote('timestamp') }} as changed_at

    from keep_distinct_rows

)

select * from renamed
