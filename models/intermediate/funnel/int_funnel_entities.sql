with

stg_crm__leads as (

    select * from {{ ref('int_conformed__leads') }}

),

stg_crm__deals as (

    select * from {{ ref('int_conformed__deals') }}

),

list_lead_entities as (

    select
        'lead' as funnel_entity_type,
        lead_id as funnel_entity_id,
        lead_id,
        cast(null as {{ dbt.type_string() }}) as deal_id,
        owner_id,
        source_system,
        lead_source as acquisition_source,
        lead_medium as acquisition_medium,
        lead_campaign as acquisition_campaign,
        false as is_sales_sourced,
        created_at

    from stg_crm__leads

),

list_deal_entities as (

    select
        'deal' as funnel_entity_type,
        stg_crm__deals.deal_id as funnel_entity_id,
        stg_crm__deals.lead_id,
        stg_crm__deals.deal_id,
        stg_crm__deals.owner_id,
        stg_crm__deals.source_system,
        cast(null as {{ dbt.type_string() }}) as acquisition_source,
        cast(null as {{ dbt.type_string() }}) as acquisition_medium,
        cast(null as {{ dbt.type_string() }}) as acquisition_campaign,
        stg_crm__deals.lead_id is null as is_sales_sourced,
        stg_crm__deals.created_at

    from stg_crm__deals
    left join stg_crm__leads
        on stg_crm__deals.lead_id = stg_crm__leads.lead_id
    where not stg_crm__deals.is_deleted
        and stg_crm__leads.lead_id is null

),

union_entities as (

    select * from list_lead_entities

    union all

    select * from list_deal_entities

),

map_channels as (

    {{ map_channel(
        'union_entities',
        source_column='acquisition_source',
        medium_column='acquisition_medium',
    ) }}

),

add_cohort_dates as (

    select
        funnel_entity_type,
        funnel_entity_id,
        lead_id,
        deal_id,
        owner_id,
        source_system,
        acquisition_source,
        acquisition_medium,
        acquisition_campaign,
        channel,
        is_sales_sourced,
        created_at,
        {{ to_reporting_date('created_at') }} as cohort_date

    from map_channels

),

truncate_cohort_dates as (

    select
        *,
        cast({{ dbt.date_trunc('week', 'cohort_date') }} as date) as cohort_week,
        cast({{ dbt.date_trunc('month', 'cohort_date') }} as date) as cohort_month

    from add_cohort_dates

)

select * from truncate_cohort_dates
