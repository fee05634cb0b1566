{%- set deal_id = normalize_text('deal_id', lowercase=false) -%}
{%- set stage_label = normalize_text('stage', lowercase=false) -%}

with

source as (

    {{ latest_version(
        source('crm', 'deal_stage_changes'),
        partition_by=[deal_id, 'changed_at', stage_label],
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
        changed_at

    from source

),

mapped as (

    {{ map_stage_labels('renamed', 'deal', label_column='stage_label') }}

)

select * from mapped
