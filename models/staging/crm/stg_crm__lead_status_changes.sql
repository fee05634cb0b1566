{#- Incremental on DuckDB and PostgreSQL (delete+insert by lead_status_change_id): a night re-ranks only the
    status changes with a raw row loaded since the newest loaded_at already here, each over all its
    versions, instead of deduplicating every row ever landed. The model is a function of raw
    and of seeds and vars (crm_stage_labels, default_source_system): new rows change it by themselves, and a change of a seed or
    var rebuilds it whole (the rule fingerprints, orchestration/rule_fingerprints.py); a retracted
    file drops it (funnel retract). A change of this SQL or of a macro it calls rebuilds it
    whole the same way. On Spark a table (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    unique_key='lead_status_change_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

{%- set lead_id = normalize_text('lead_id', lowercase=false) -%}
{%- set status_label = normalize_text('status', lowercase=false) -%}

with

source as (

    {{ latest_version(
        source('crm', 'lead_status_changes'),
        partition_by=[lead_id, 'changed_at', status_label],
        keys_loaded_after=incremental_watermark('loaded_at') if is_incremental() else none,
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ surrogate_key([lead_id, 'changed_at', status_label]) }} as lead_status_change_id,
        {{ redact_pii(lead_id) }} as lead_id,

        ---------- text
        {{ crm_source_system() }} as source_system,
        {{ redact_pii(status_label) }} as status_label,
        _source_file as source_file,

        ---------- numerics
        _source_line as source_line,

        ---------- timestamps
        changed_at,
        _loaded_at as loaded_at

    from source

),

mapped as (

    {{ map_stage_labels('renamed', 'lead', label_column='status_label') }}

)

select * from mapped
