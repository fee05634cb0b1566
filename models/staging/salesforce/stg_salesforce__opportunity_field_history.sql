{%- set deal_id = normalize_text('opportunity_id', lowercase=false) -%}
{%- set field_name = normalize_text('field', lowercase=false) -%}

with

source as (

    {{ native_source(source('salesforce', 'opportunity_field_history'), [
        ['id', 'text'], ['opportunity_id', 'text'], ['field', 'text'], ['old_value', 'text'],
        ['new_value', 'text'], ['created_date', 'timestamp'], ['is_deleted', 'boolean'],
    ]) }}

),

keep_distinct_rows as (

    {{ latest_version(
        'source',
        partition_by=[deal_id, field_name, 'created_date', "coalesce(new_value, '')"],
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ surrogate_key([deal_id, field_name, 'created_date', 'new_value']) }}
            as opportunity_field_history_id,
        {{ native_key('opportunity_id', 'salesforce') }} as deal_id,

        ---------- text
        {{ field_name }} as field_name,
        {{ normalize_text('old_value', lowercase=false) }} as old_value,
        {{ normalize_text('new_value', lowercase=false) }} as new_value,
        _source_file as source_file,

        ---------- numerics
        _source_line as source_line,

        ---------- booleans
        lower({{ field_name }}) = 'stagename' as is_stage_change,
        coalesce(is_deleted, false) as is_deleted,

        ---------- timestamps
        created_date as changed_at

    from keep_distinct_rows

)

select * from renamed
