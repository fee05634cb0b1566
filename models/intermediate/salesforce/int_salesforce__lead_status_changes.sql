{#- A Salesforce lead's status changes in the shape of stg_crm__lead_status_changes: every
    LeadHistory row with Field = 'Status' (its NewValue at its CreatedDate), plus the status
    the lead was created with at its CreatedDate: the OldValue of its first Status row, or its
    current Status when it has none. Rows of other fields are ignored (they stay in
    stg_salesforce__lead_history); deleted history rows and deleted leads are left out; history
    of a lead never landed is kept (is_lead_landed = false), as stg_crm__lead_status_changes
    keeps it. -#}

with

stg_salesforce__lead_history as (

    select * from {{ ref('stg_salesforce__lead_history') }}

),

stg_salesforce__leads as (

    select * from {{ ref('stg_salesforce__leads') }}

),

keep_status_rows as (

    select *

    from stg_salesforce__lead_history
    where is_status_change
        and not is_deleted
        and new_value is not null

),

rank_status_rows as (

    select
        lead_id,
        old_value,
        row_number() over (
            partition by lead_id order by changed_at nulls last, source_file, source_line
        ) as status_row_number

    from keep_status_rows

),

list_creations as (

    select
        stg_salesforce__leads.lead_id,
        coalesce(rank_status_rows.old_value, stg_salesforce__leads.status_label) as status_label,
        stg_salesforce__leads.created_at as changed_at,
        cast(null as {{ dbt.type_string() }}) as source_file,
        cast(null as {{ dbt.type_bigint() }}) as source_line,
        true as is_creation

    from stg_salesforce__leads
    left join rank_status_rows
        on stg_salesforce__leads.lead_id = rank_status_rows.lead_id
        and rank_status_rows.status_row_number = 1
    where not stg_salesforce__leads.is_deleted
        and (rank_status_rows.lead_id is null or rank_status_rows.old_value is not null)
        and coalesce(rank_status_rows.old_value, stg_salesforce__leads.status_label) is not null

),

list_changes as (

    select
        lead_id,
        new_value as status_label,
        changed_at,
        source_file,
        source_line,
        false as is_creation

    from keep_status_rows

    union all

    select * from list_creations

),

flag_landed_leads as (

    select
        {{ surrogate_key(['list_changes.lead_id', 'list_changes.changed_at', 'list_changes.status_label']) }}
            as lead_status_change_id,
        list_changes.lead_id,
        'salesforce' as source_system,
        list_changes.status_label,
        list_changes.source_file,
        list_changes.source_line,
        list_changes.changed_at,
        list_changes.is_creation,
        stg_salesforce__leads.lead_id is not null as is_lead_landed,
        coalesce(stg_salesforce__leads.is_deleted, false) as is_lead_deleted

    from list_changes
    left join stg_salesforce__leads
        on list_changes.lead_id = stg_salesforce__leads.lead_id

),

keep_one_per_change as (

    select *

    from (
        select
            *,
            row_number() over (
                partition by lead_status_change_id
                order by is_creation, source_file, source_line
            ) as change_rank

        from flag_landed_leads
        where not is_lead_deleted
    ) as ranked
    where change_rank = 1

),

mapped as (

    {{ map_stage_labels('keep_one_per_change', 'lead', label_column='status_label') }}

)

select
    lead_status_change_id,
    lead_id,
    source_system,
    status_label,
    source_file,
    source_line,
    changed_at,
    stage_key,
    is_stage_mapped,
    is_creation,
    is_lead_landed

from mapped
