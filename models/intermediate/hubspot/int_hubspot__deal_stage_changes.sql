{#- Union member of int_conformed__deal_stage_changes: one row per stage a HubSpot deal entered,
    in the columns of stg_crm__deal_stage_changes. From deal_stage and from the dealstage rows of
    deal_property_history (a change in both is kept once); a deal with neither enters at its
    current stage when it was created (is_inferred_from_current_stage = true, no source file). -#}

with

stg_hubspot__deal_stage_history as (

    select * from {{ ref('stg_hubspot__deal_stage_history') }}

),

stg_hubspot__deal_property_history as (

    select * from {{ ref('stg_hubspot__deal_property_history') }}

),

stg_hubspot__deals as (

    select * from {{ ref('stg_hubspot__deals') }}

),

int_hubspot__deal_stages as (

    select * from {{ ref('int_hubspot__deal_stages') }}

),

collect_changes as (

    select
        deal_stage_change_id,
        deal_id,
        stage_id,
        source_file,
        source_line,
        changed_at,
        0 as history_priority

    from stg_hubspot__deal_stage_history

    union all

    select
        {{ surrogate_key(['deal_id', 'changed_at', 'property_value']) }} as deal_stage_change_id,
        deal_id,
        property_value as stage_id,
        source_file,
        source_line,
        changed_at,
        1 as history_priority

    from stg_hubspot__deal_property_history
    where property_name = 'dealstage' and property_value is not null

),

keep_one_per_change as (

    select *
    from (
        select
            *,
            row_number() over (
                partition by deal_id, changed_at, stage_id
                order by history_priority, source_file, source_line
            ) as change_rank

        from collect_changes
    ) as ranked_changes
    where change_rank = 1

),

list_deals_with_history as (

    select distinct deal_id
    from keep_one_per_change

),

infer_entries as (

    select
        {{ surrogate_key(["'inferred'", 'stg_hubspot__deals.deal_id']) }} as deal_stage_change_id,
        stg_hubspot__deals.deal_id,
        stg_hubspot__deals.stage_id,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_bigint() }}) as source_line,
        stg_hubspot__deals.created_at as changed_at,
        true as is_inferred_from_current_stage

    from stg_hubspot__deals
    left join list_deals_with_history
        on stg_hubspot__deals.deal_id = list_deals_with_history.deal_id
    where list_deals_with_history.deal_id is null
        and stg_hubspot__deals.stage_id is not null

),

union_changes as (

    select
        deal_stage_change_id,
        deal_id,
        stage_id,
        source_file,
        source_line,
        changed_at,
        false as is_inferred_from_current_stage

    from keep_one_per_change

    union all

    select * from infer_entries

)

select
    union_changes.deal_stage_change_id,
    union_changes.deal_id,
    'hubspot' as source_system,
    int_hubspot__deal_stages.stage_label,
    union_changes.source_file,
    union_changes.source_line,
    union_changes.changed_at,
    int_hubspot__deal_stages.stage_key,
    int_hubspot__deal_stages.is_stage_mapped,
    union_changes.stage_id,
    int_hubspot__deal_stages.is_in_dictionary as is_stage_in_dictionary,
    union_changes.is_inferred_from_current_stage

from union_changes
inner join int_hubspot__deal_stages
    on union_changes.stage_id = int_hubspot__deal_stages.stage_id
