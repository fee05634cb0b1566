{#- Every landed row of crm/deals, renamed and cast once: stg_crm__deals keeps the latest
    version of each deal and stg_crm__deal_versions every distinct version, both from here.
    No row is dropped or deduplicated; the lineage columns keep their raw names, which
    latest_version ranks on. A view: it only renames, and each reader scans raw once. -#}

with

source as (

    select * from {{ source('crm', 'deals') }}

),

renamed as (

    select

        ----------  ids
        {{ redact_pii(normalize_text('deal_id', lowercase=false)) }} as deal_id,
        {{ redact_pii(normalize_text('lead_id', lowercase=false)) }} as lead_id,
        {{ redact_pii(normalize_text('account_id', lowercase=false)) }} as account_id,
        {{ redact_pii(normalize_text('owner_id', lowercase=false)) }} as owner_id,

        ---------- text
        {{ crm_source_system() }} as source_system,
        {{ redact_pii(normalize_text('stage', lowercase=false)) }} as stage_label,
        upper({{ redact_pii(normalize_text('currency', lowercase=false)) }}) as currency,
        {{ redact_pii(normalize_text('deal_name', lowercase=false)) }} as deal_name,
        {{ redact_pii(normalize_text('account_name', lowercase=false)) }} as account_name,
        {{ redact_pii(normalize_domain('account_domain')) }} as account_domain,

        ---------- numerics
        amount,

        ---------- booleans
        coalesce(is_deleted, false) as is_deleted,

        ---------- dates
        expected_close_date,

        ---------- timestamps
        created_at,
        updated_at,

        ---------- lineage
        _file_hash,
        _loaded_at,
        _source_file,
        _source_line

    from source

)

select * from renamed
