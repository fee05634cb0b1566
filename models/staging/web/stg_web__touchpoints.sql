{#- Incremental (delete+insert by touchpoint_id): a night re-ranks only the touchpoints with a
    row loaded since the newest loaded_at already here, instead of deduplicating every
    touchpoint ever landed (BENCHMARKS.md has the measurement). The model is a function of
    raw and of var('touchpoints_lead_system'): new rows change it by themselves, and a change
    of the var rebuilds it whole (the rule fingerprints, orchestration/rule_fingerprints.py).
    A change of this SQL or of a macro it calls rebuilds it whole the same way.
    On Spark a table, rebuilt every night: plain Spark tables have no delete or merge, and
    dbt-spark would silently append instead (pitfall 23); insert_overwrite would replace the
    whole table (or partition) with only the re-ranked keys. -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    unique_key='touchpoint_id',
    incremental_strategy='delete+insert',
    on_schema_change='fail',
) }}

with

source as (

    {{ latest_version(
        source('web', 'touchpoints'),
        partition_by=normalize_text('touchpoint_id', lowercase=false),
        keys_loaded_after=incremental_watermark('loaded_at') if is_incremental() else none,
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ redact_pii(normalize_text('touchpoint_id', lowercase=false)) }} as touchpoint_id,
        {#- issue 13: touchpoints of leads kept in a native CRM carry its ids: prefix them as
            the conform points do (var('touchpoints_lead_system'), empty: canonical ids) #}
        {% if var('touchpoints_lead_system', '') -%}
        {{ redact_pii(native_key('lead_id', var('touchpoints_lead_system'))) }} as lead_id,
        {%- else -%}
        {{ redact_pii(normalize_text('lead_id', lowercase=false)) }} as lead_id,
        {%- endif %}

        ---------- text
        {{ redact_pii(normalize_text('source')) }} as touch_source,
        {{ redact_pii(normalize_text('medium')) }} as touch_medium,
        {{ redact_pii(normalize_text('campaign')) }} as touch_campaign,
        {{ redact_pii(normalize_text('keyword')) }} as keyword,
        {{ redact_pii(normalize_text('touch_type')) }} as touch_type,

        ---------- timestamps
        occurred_at,
        _loaded_at as loaded_at

    from source

)

select * from renamed
