{%- set stage_id = normalize_text('stage_id', lowercase=false) -%}

with

source as (

    {{ hubspot_source(source('hubspot', 'deal_pipeline_stage'), [
        ['stage_id', 'text'], ['pipeline_id', 'text'], ['label', 'text'],
        ['display_order', 'integer'], ['probability', 'decimal'], ['is_closed', 'boolean'],
        ['closed_won', 'boolean'], ['active', 'boolean'], ['is_deleted', 'boolean'],
    ]) }}

),

keep_latest_versions as (

    {{ latest_version('source', partition_by=stage_id) }}

),

renamed as (

    select

        ----------  ids
        {{ stage_id }} as stage_id,
        {{ normalize_text('pipeline_id', lowercase=false) }} as pipeline_id,

        ---------- text
        'hubspot' as source_system,
        {{ normalize_text('label', lowercase=false) }} as stage_label,

        ---------- numerics
        display_order,
        probability,

        ---------- booleans
        coalesce(closed_won, false) as is_won,
        coalesce(is_closed, probability in (0, 1), closed_won, false) as is_closed,
        coalesce(active, true) and not coalesce(is_deleted, false) as is_active

    from keep_latest_versions

)

select * from renamed
