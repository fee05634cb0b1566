{%- set stage_label = normalize_text('master_label', lowercase=false) -%}

with

source as (

    {{ native_source(source('salesforce', 'opportunity_stage'), [
        ['id', 'text'], ['master_label', 'text'], ['api_name', 'text'], ['sort_order', 'integer'],
        ['default_probability', 'decimal'], ['is_closed', 'boolean'], ['is_won', 'boolean'],
        ['is_active', 'boolean'], ['forecast_category_name', 'text'],
        ['last_modified_date', 'timestamp'], ['system_modstamp', 'timestamp'],
    ]) }}

),

keep_latest_versions as (

    {{ latest_version(
        'source',
        partition_by=stage_label,
        order_by='coalesce(system_modstamp, last_modified_date) desc nulls last',
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ normalize_text('id', lowercase=false) }} as opportunity_stage_id,

        ---------- text
        'salesforce' as source_system,
        {{ stage_label }} as stage_label,
        {{ normalize_text('api_name', lowercase=false) }} as api_name,
        {{ normalize_text('forecast_category_name', lowercase=false) }} as forecast_category,

        ---------- numerics
        sort_order,
        default_probability,

        ---------- booleans
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,
        coalesce(is_active, true) as is_active

    from keep_latest_versions

)

select * from renamed
