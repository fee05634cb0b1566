{#- A Salesforce opportunity's stage changes in the shape of stg_crm__deal_stage_changes:
    OpportunityHistory rows (written whenever stage, amount, probability or close date
    changed) and OpportunityFieldHistory rows with Field = 'StageName' (NewValue), in time
    order, keeping a row only where the stage differs from the row before. An opportunity with
    no history row at all enters at its current stage at its CreatedDate
    (is_entered_without_history = true). Deleted rows and deleted opportunities are left out;
    history of an opportunity never landed is kept (is_deal_landed = false). -#}

with

stg_salesforce__opportunity_history as (

    select * from {{ ref('stg_salesforce__opportunity_history') }}

),

stg_salesforce__opportunity_field_history as (

    select * from {{ ref('stg_salesforce__opportunity_field_history') }}

),

stg_salesforce__opportunities as (

    select * from {{ ref('stg_salesforce__opportunities') }}

),

int_salesforce__deal_stages as (

    select * from {{ ref('int_salesforce__deal_stages') }}

),

collect_history as (

    select
        deal_id,
        stage_label,
        changed_at,
        source_file,
        source_line
    from stg_salesforce__opportunity_history
    where not is_deleted and stage_label is not null

    union all

    select
        deal_id,
        new_value as stage_label,
        changed_at,
        source_file,
        source_line
    from stg_salesforce__opportunity_field_history
    where is_stage_change and not is_deleted and new_value is not null

),

compare_with_previous as (

    select
        *,
        lag(stage_label) over (
            partition by deal_id order by changed_at nulls last, source_file, source_line
        ) as previous_stage_label

    from collect_history

),

keep_stage_changes as (

    select
        deal_id,
        stage_label,
        changed_at,
        source_file,
        source_line,
        false as is_entered_without_history

    from compare_with_previous
    where previous_stage_label is null or previous_stage_label != stage_label

),

enter_without_history as (

    select
        deal_id,
        stage_label,
        created_at as changed_at,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_bigint() }}) as source_line,
        true as is_entered_without_history

    from stg_salesforce__opportunities
    where stage_label is not null
        and deal_id not in (
            select history_deals.deal_id from collect_history as history_deals
        )

),

collect_changes as (

    select * from keep_stage_changes
    union all
    select * from enter_without_history

),

keep_one_per_change as (

    select *

    from (
        select
            collect_changes.*,
            stg_salesforce__opportunities.deal_id is not null as is_deal_landed,
            coalesce(stg_salesforce__opportunities.is_deleted, false) as is_deal_deleted,
            row_number() over (
                partition by
                    collect_changes.deal_id, collect_changes.changed_at,
                    collect_changes.stage_label
                order by collect_changes.source_file, collect_changes.source_line
            ) as change_rank

        from collect_changes
        left join stg_salesforce__opportunities
            on collect_changes.deal_id = stg_salesforce__opportunities.deal_id
    ) as ranked
    where change_rank = 1 and not is_deal_deleted

)

select
    {{ surrogate_key(['keep_one_per_change.deal_id', 'keep_one_per_change.changed_at', 'keep_one_per_change.stage_label']) }}
        as deal_stage_change_id,
    keep_one_per_change.deal_id,
    'salesforce' as source_system,
    keep_one_per_change.stage_label,
    keep_one_per_change.source_file,
    keep_one_per_change.source_line,
    keep_one_per_change.changed_at,
    int_salesforce__deal_stages.stage_key,
    coalesce(int_salesforce__deal_stages.is_stage_mapped, false) as is_stage_mapped,
    keep_one_per_change.is_entered_without_history,
    keep_one_per_change.is_deal_landed

from keep_one_per_change
left join int_salesforce__deal_stages
    on keep_one_per_change.stage_label = int_salesforce__deal_stages.stage_label
