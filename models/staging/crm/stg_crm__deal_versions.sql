{#- Incremental on DuckDB and PostgreSQL (delete+insert by deal_id + updated_at, a version): a
    night re-ranks only the versions with a raw row loaded since the newest loaded_at already
    here, instead of deduplicating every row ever landed. A version is a function of its own raw
    rows and of seeds and vars (crm_stage_labels, default_source_system, the PII patterns): new
    rows change it by themselves, and a change of a seed or var rebuilds it whole (the rule
    fingerprints, orchestration/rule_fingerprints.py); a retracted file drops it (funnel
    retract). updated_at is never null (model_checks), so every version has a key. A
    change of this SQL or of a macro it calls rebuilds it whole the same way. On Spark a table
    (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    unique_key=['deal_id', 'updated_at'],
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with

base_crm__deals as (

    select * from {{ ref('base_crm__deals') }}

),

keep_distinct_versions as (

    {{ latest_version(
        'base_crm__deals',
        partition_by=['deal_id', 'updated_at'],
        keys_loaded_after=incremental_watermark('loaded_at') if is_incremental() else none,
    ) }}

),

select_columns as (

    select
        deal_id,
        lead_id,
        account_id,
        owner_id,
        source_system,
        stage_label,
        currency,
        deal_name,
        account_name,
        account_domain,
        amount,
        is_deleted,
        expected_close_date,
        created_at,
        updated_at,
        updated_at as valid_from,
        _loaded_at as loaded_at

    from keep_distinct_versions

),

mapped as (

    {{ map_stage_labels('select_columns', 'deal', label_column='stage_label') }}

)

select * from mapped
