{%- set lead_id = normalize_text('lead_id', lowercase=false) -%}
{%- set status_label = normalize_text('status', lowercase=false) -%}

with

source as (

    {{ latest_version(
        source('crm', 'lead_status_changes'),
        partition_by=[lead_id, 'changed_at', status_label],
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
        changed_at

    from source

),

mapped as (

    {{ map_stage_labels('renamed', 'lead', label_column='status_label') }}

)

select * from mapped
