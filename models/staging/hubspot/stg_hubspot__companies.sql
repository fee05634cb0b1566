{%- set company_id = normalize_text('id', lowercase=false) -%}

with

source as (

    {{ hubspot_source(source('hubspot', 'company'), [
        ['id', 'text'], ['name', 'text'], ['domain', 'text'], ['is_deleted', 'boolean'],
        ['hs_lastmodifieddate', 'timestamp'],
    ]) }}

),

keep_latest_versions as (

    {{ latest_version('source', partition_by=company_id, order_by='hs_lastmodifieddate desc nulls last') }}

),

renamed as (

    select

        ----------  ids
        {{ company_id }} as hubspot_company_id,
        {{ company_id }} as account_id,

        ---------- text
        {{ normalize_text('name', lowercase=false) }} as account_name,
        {{ normalize_domain('domain') }} as account_domain,

        ---------- booleans
        coalesce(is_deleted, false) as is_deleted

    from keep_latest_versions

)

select * from renamed
