{%- set deal_id = normalize_text('opportunity_id', lowercase=false) -%}
{%- set stage_label = normalize_text('stage_name', lowercase=false) -%}

with

source as (

    {{ native_source(source('salesforce', 'opportunity_history'), [
        ['id', 'text'], ['opportunity_id', 'text'], ['stage_name', 'text'], ['amount', 'decimal'],
        ['close_date', 'date'], ['probability', 'decimal'], ['created_date', 'timestamp'],
        ['is_deleted', 'boolean'],
    ]) }}

),

keep_distinct_rows as (

    {{ latest_version(
        'source',
        partition_by=[deal_id, 'created_date', "coalesce(" ~ stage_label ~ ", '')",
            'amount', 'close_date', 'probability'],
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ surrogate_key([deal_id, 'created_date', stage_label, 'amount', 'close_date', 'probability']) }}
            as opportunity_history_id,
        {{ native_key('opportunity_id', 'salesforce') }} as deal_id,

        ---------- text
        {{ stage_label }} as stage_label,
        _source_file as source_file,

        ---------- numerics
        _source_line as source_line,
        amount,
        probability,

        ---------- booleans
        coalesce(is_deleted, false) as is_deleted,

        ---------- dates
        close_date as expected_close_date,

        ---------- timestamps
        created_date as changed_at

    from keep_distinct_rows

)

select * from renamed
