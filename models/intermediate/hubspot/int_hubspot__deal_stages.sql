{#- One row per HubSpot deal stage id: in the stage dictionary (deal_pipeline_stage), or only
    seen on a deal or in its history (is_in_dictionary = false). Its funnel stage_key: the label
    seed's mapping of the stage id, else of its label, else the dictionary's closed flags (a
    closed-won stage is the funnel's won stage, another closed stage its lost stage, both read
    from seeds/funnel_stages.csv). An open stage the seed does not map stays unmapped (null
    stage_key) and fails all_stage_labels_mapped, naming its label (or its id). -#}

with

stg_hubspot__deal_pipeline_stages as (

    select * from {{ ref('stg_hubspot__deal_pipeline_stages') }}

),

stg_hubspot__deal_versions as (

    select * from {{ ref('stg_hubspot__deal_versions') }}

),

stg_hubspot__deal_stage_history as (

    select * from {{ ref('stg_hubspot__deal_stage_history') }}

),

stg_hubspot__deal_property_history as (

    select * from {{ ref('stg_hubspot__deal_property_history') }}

),

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

list_seen_stage_ids as (

    select stage_id
    from stg_hubspot__deal_versions
    where stage_id is not null

    union

    select stage_id from stg_hubspot__deal_stage_history

    union

    select property_value as stage_id
    from stg_hubspot__deal_property_history
    where property_name = 'dealstage' and property_value is not null

),

list_stage_ids as (

    select
        stage_id,
        pipeline_id,
        stage_label,
        display_order,
        probability,
        is_closed,
        is_won,
        true as is_in_dictionary

    from stg_hubspot__deal_pipeline_stages

    union all

    select
        list_seen_stage_ids.stage_id,
        cast(null as {{ dbt.type_string() }}) as pipeline_id,
        list_seen_stage_ids.stage_id as stage_label,
        cast(null as {{ dbt.type_bigint() }}) as display_order,
        cast(null as decimal(38, 9)) as probability,
        false as is_closed,
        false as is_won,
        false as is_in_dictionary

    from list_seen_stage_ids
    left join stg_hubspot__deal_pipeline_stages
        on list_seen_stage_ids.stage_id = stg_hubspot__deal_pipeline_stages.stage_id
    where stg_hubspot__deal_pipeline_stages.stage_id is null

),

add_source_system as (

    select
        *,
        'hubspot' as source_system

    from list_stage_ids

),

map_stage_ids as (

    {{ map_stage_labels('add_source_system', 'deal', label_column='stage_id') }}

),

keep_id_mapping as (

    select
        stage_id,
        pipeline_id,
        stage_label,
        display_order,
        probability,
        is_closed,
        is_won,
        is_in_dictionary,
        source_system,
        stage_key as stage_key_by_id

    from map_stage_ids

),

map_labels as (

    {{ map_stage_labels('keep_id_mapping', 'deal', label_column='stage_label') }}

),

find_closed_stage_keys as (

    select
        max(case when is_won then stage_key end) as won_stage_key,
        max(case when is_terminal and not is_won then stage_key end) as lost_stage_key

    from funnel_stages

),

choose_stage_keys as (

    select
        map_labels.stage_id,
        map_labels.pipeline_id,
        map_labels.source_system,
        map_labels.stage_label,
        map_labels.display_order,
        map_labels.probability,
        map_labels.is_closed,
        map_labels.is_won,
        map_labels.is_in_dictionary,
        coalesce(
            map_labels.stage_key_by_id,
            map_labels.stage_key,
            case
                when map_labels.is_won then find_closed_stage_keys.won_stage_key
                when map_labels.is_closed then find_closed_stage_keys.lost_stage_key
            end
        ) as stage_key

    from map_labels
    cross join find_closed_stage_keys

)

select
    *,
    stage_key is not null as is_stage_mapped

from choose_stage_keys
