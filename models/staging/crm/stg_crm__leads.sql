{#- Incremental on DuckDB and PostgreSQL (delete+insert by lead_id): a night re-ranks only the
    leads with a raw row loaded since the newest loaded_at already here, each over all its
    versions, instead of deduplicating every row ever landed. The model is a function of raw
    and of seeds and vars (default_source_system, the PII patterns): new rows change it by themselves, and a change of a seed or
    var rebuilds it whole (the rule fingerprints, orchestration/rule_fingerprints.py); a retracted
    file drops it (funnel retract). A change of this SQL or of a macro it calls rebuilds it
    whole the same way. On Spark a table (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    unique_key='lead_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with

source as (

    {{ latest_version(
        source('crm', 'leads'),
        partition_by=normalize_text('lead_id', lowercase=false),
        order_by='updated_at desc',
        keys_loaded_after=incremental_watermark('loaded_at') if is_incremental() else none,
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ redact_pii(normalize_text('lead_id', lowercase=false)) }} as lead_id,
        {{ redact_pii(normalize_text('owner_id', lowercase=false)) }} as owner_id,

        ---------- text
        {{ crm_source_system() }} as source_system,
        {{ redact_pii(normalize_text('source')) }} as lead_source,
        {{ redact_pii(normalize_text('medium')) }} as lead_medium,
        {{ redact_pii(normalize_text('campaign')) }} as lead_campaign,
        {{ hash_pii('email') }} as email_hash,
        {{ redact_pii(email_domain('email')) }} as email_domain,
        {{ redact_pii(normalize_domain('company_domain')) }} as company_domain,
        {{ redact_pii(normalize_text('company_name', lowercase=false)) }} as company_name,
        {{ redact_pii(normalize_text('industry', lowercase=false)) }} as industry,
        {{ redact_pii(normalize_text('country', lowercase=false)) }} as country,
        {{ redact_pii(normalize_text('job_title', lowercase=false)) }} as job_title,

        ---------- numerics
        company_size,

        ---------- booleans
        {{ normalize_text('phone', lowercase=false) }} is not null as has_phone,

        ---------- timestamps
        created_at,
        updated_at,
        _loaded_at as loaded_at

    from source

)

select * from renamed
