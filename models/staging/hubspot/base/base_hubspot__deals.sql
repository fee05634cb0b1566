{#- Every landed row of hubspot/deal, renamed and cast once: stg_hubspot__deals keeps the
    latest version of each deal and stg_hubspot__deal_versions every distinct version. -#}

with

source as (

    {{ hubspot_source(source('hubspot', 'deal'), [
        ['deal_id', 'text'], ['createdate', 'timestamp'], ['hs_lastmodifieddate', 'timestamp'],
        ['deal_pipeline_id', 'text'], ['deal_pipeline_stage_id', 'text'], ['pipeline', 'text'],
        ['dealstage', 'text'], ['owner_id', 'text'], ['hubspot_owner_id', 'text'],
        ['dealname', 'text'], ['amount', 'decimal'], ['deal_currency_code', 'text'],
        ['closedate', 'date'], ['is_deleted', 'boolean'],
    ]) }}

),

renamed as (

    select

        ----------  ids
        {{ native_key('deal_id', 'hubspot') }} as deal_id,
        {{ normalize_text('deal_id', lowercase=false) }} as hubspot_deal_id,
        {{ native_key('coalesce(owner_id, hubspot_owner_id)', 'hubspot') }} as owner_id,
        coalesce(
            {{ normalize_text('deal_pipeline_id', lowercase=false) }},
            {{ normalize_text('pipeline', lowercase=false) }}
        ) as pipeline_id,
        coalesce(
            {{ normalize_text('deal_pipeline_stage_id', lowercase=false) }},
            {{ normalize_text('dealstage', lowercase=false) }}
        ) as stage_id,

        ---------- text
        'hubspot' as source_system,
        upper(coalesce(
            {{ normalize_text('deal_currency_code', lowercase=false) }},
            '{{ var("hubspot_company_currency") or var("reporting_currency") }}'
        )) as currency,
        {{ normalize_text('dealname', lowercase=false) }} as deal_name,

        ---------- numerics
        amount,

        ---------- booleans
        coalesce(is_deleted, false) as is_deleted,

        ---------- dates
        closedate as expected_close_date,

        ---------- timestamps
        createdate as created_at,
        coalesce(hs_lastmodifieddate, createdate) as updated_at,

        ---------- lineage
        _file_hash,
        _loaded_at,
        _source_file,
        _source_line

    from source

)

select * from renamed
