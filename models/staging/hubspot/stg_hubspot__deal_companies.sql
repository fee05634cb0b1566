{%- set deal_id = normalize_text('deal_id', lowercase=false) -%}
{%- set company_id = normalize_text('company_id', lowercase=false) -%}

with

source as (

    {{ hubspot_source(source('hubspot', 'deal_company'), [
        ['deal_id', 'text'], ['company_id', 'text'], ['type_id', 'integer'], ['label', 'text'],
        ['is_primary', 'boolean'],
    ]) }}

),

keep_latest_versions as (

    {{ latest_version('source', partition_by=[deal_id, company_id]) }}

),

renamed as (

    select

        ----------  ids
        {{ native_key('deal_id', 'hubspot') }} as deal_id,
        {{ company_id }} as hubspot_company_id,

        ---------- booleans
        coalesce(is_primary, lower({{ normalize_text('label') }}) = 'primary', false) as is_primary

    from keep_latest_versions

)

select * from renamed
