{#- Incremental on DuckDB and PostgreSQL (delete+insert by deal_stage_change_id): a night re-ranks only the
    stage changes with a raw row loaded since the newest loaded_at already here, each over all its
    versions, instead of deduplicating every row ever landed. The model is a function of raw
    and of seeds and vars (crm_stage_labels, default_source_system): new rows change it by themselves, and a change of a seed or
    var rebuilds it whole (the rule fingerprints, orchestration/rule_fingerprints.py); a retracted
    file drops it (funnel retract). A change of this SQL or of a macro it calls rebuilds it
    whole the same way. On Spark a table (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    unique_key='deal_stage_change_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

{%- set deal_id = normalize_text('deal_id', lowercase=false) -%}
{%- set stage_label = normalize_text('stage', lowercase=false) -%}

with

source as (

    {{ latest_version(
        source('crm', 'deal_stage_changes'),
        partition_by=[deal_id, 'changed_at', stage_label],
        keys_loaded_after=incremental_watermark('loaded_at') if is_incremental() else none,
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ surrogate_key([deal_id, 'changed_at', stage_label]) }} as deal_stage_change_id,
        {{ redact_pii(deal_id) }} as deal_id,

        ---------- text
        {{ crm_source_system() }} as source_system,
        {{ redact_pii(stage_label) }} as stage_label,
        _source_file as source_file,

        ---------- numerics
        _source_line as source_line,

        ---------- timestamps
        changed_at,
        _loaded_at as loaded_at

    from source

),

mapped as (

    {{ map_stage_labels('renamed', 'deal', label_column='stage_label') }}

)

select * from mapped
