{#- The stage ids deals entered, from Fivetran's deal_stage table (int_hubspot__deal_stage_changes
    adds the dealstage rows of the deal property history). -#}
{%- set deal_id = normalize_text('deal_id', lowercase=false) -%}
{%- set stage_id = normalize_text('value', lowercase=false) -%}

with

source as (

    {{ hubspot_source(source('hubspot', 'deal_stage'), [
        ['deal_id', 'text'], ['value', 'text'], ['date_entered', 'timestamp'], ['source', 'text'],
    ]) }}

),

keep_distinct_rows as (

    {{ latest_version('source', partition_by=[deal_id, 'date_entered', stage_id]) }}

),

renamed as (

    select

        ----------  ids
        {{ surrogate_key([deal_id, 'date_entered', stage_id]) }} as deal_stage_change_id,
        {{ native_key('deal_id', 'hubspot') }} as deal_id,
        {{ stage_id }} as stage_id,

        ---------- text
        'deal_stage' as history_table,
        _source_file as source_file,

        ---------- numerics
        _source_line as source_line,

        ---------- timestamps
        date_entered as changed_at

    from keep_distinct_rows

)

select * from renamed
