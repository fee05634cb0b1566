{%- set pipeline_id = normalize_text('pipeline_id', lowercase=false) -%}

with

source as (

    {{ hubspot_source(source('hubspot', 'deal_pipeline'), [
        ['pipeline_id', 'text'], ['label', 'text'], ['display_order', 'integer'],
        ['active', 'boolean'], ['is_deleted', 'boolean'],
    ]) }}

),

keep_latest_versions as (

    {{ latest_version('source', partition_by=pipeline_id) }}

),

renamed as (

    select

        ----------  ids
        {{ pipeline_id }} as pipeline_id,

        ---------- text
        {{ normalize_text('label', lowercase=false) }} as pipeline_label,

        ---------- numerics
        display_order,

        ---------- booleans
        coalesce(active, true) and not coalesce(is_deleted, false) as is_active

    from keep_latest_versions

)

select * from renamed
