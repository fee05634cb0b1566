{%- set deal_id = normalize_text('deal_id', lowercase=false) -%}
{%- set contact_id = normalize_text('contact_id', lowercase=false) -%}

with

source as (

    {{ hubspot_source(source('hubspot', 'deal_contact'), [
        ['deal_id', 'text'], ['contact_id', 'text'], ['type_id', 'integer'], ['label', 'text'],
        ['is_primary', 'boolean'],
    ]) }}

),

keep_latest_versions as (

    {{ latest_version('source', partition_by=[deal_id, contact_id]) }}

),

renamed as (

    select

        ----------  ids
        {{ native_key('deal_id', 'hubspot') }} as deal_id,
        {{ contact_id }} as hubspot_contact_id,

        ---------- booleans
        coalesce(is_primary, lower({{ normalize_text('label') }}) = 'primary', false) as is_primary

    from keep_latest_versions

)

select * from renamed
