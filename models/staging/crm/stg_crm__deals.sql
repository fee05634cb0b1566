{#- Incremental on DuckDB and PostgreSQL (delete+insert by deal_id): a night re-ranks only the
    deals with a raw row loaded since the newest loaded_at already here, each over all its
    versions, instead of deduplicating every row ever landed. The model is a function of raw
    and of seeds and vars (crm_stage_labels, default_source_system, the PII patterns): new
    rows change it by themselves, and a change of a seed or var rebuilds it whole (the rule
    fingerprints, orchestration/rule_fingerprints.py); a retracted file drops it (funnel
    retract). A change of this SQL or of a macro it calls rebuilds it whole the same way. On
    Spark a table (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    unique_key='deal_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with

base_crm__deals as (

    select * from {{ ref('base_crm__deals') }}

),

keep_latest_versions as (

    {{ latest_version(
        'base_crm__deals',
        partition_by='deal_id',
        order_by='updated_at desc',
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
        _loaded_at as loaded_at

    from keep_latest_versions

),

mapped as (

    {{ map_stage_labels('select_columns', 'deal', label_column='stage_label') }}

)

select * from mapped
