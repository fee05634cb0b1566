with

int_deal_outcomes as (

    select * from {{ ref('int_deal_outcomes') }}

),

int_funnel_entities as (

    select * from {{ ref('int_funnel_entities') }}

),

stg_crm__owners as (

    select * from {{ ref('int_conformed__owners') }}

),

stg_finance__fx_rates as (

    select * from {{ ref('int_conformed__fx_rates') }}

),

list_closed_deals as (

    select
        deal_id,
        lead_id,
        funnel_entity_type,
        funnel_entity_id,
        owner_id,
        currency,
        amount,
        won_amount_reporting,
        is_won,
        is_lost,
        created_at,
        won_at,
        lost_at,
        case when is_won then won_at else lost_at end as closed_at

    from int_deal_outcomes
    where is_won or is_lost

),

add_close_dates as (

    select
        *,
        {{ to_reporting_date('closed_at') }} as closed_date

    from list_closed_deals

),

convert_lost_amounts as (

    select
        add_close_dates.*,
        case
            when add_close_dates.is_lost
                then {{ to_reporting_currency(
                    'add_close_dates.amount', 'add_close_dates.currency', 'stg_finance__fx_rates.rate_to_reporting'
                ) }}
        end as lost_amount_reporting

    from add_close_dates
    left join stg_finance__fx_rates
        on add_close_dates.closed_date = stg_finance__fx_rates.rate_date
        and add_close_dates.currency = stg_finance__fx_rates.currency

),

add_entities as (

    select
        convert_lost_amounts.deal_id,
        convert_lost_amounts.lead_id,
        convert_lost_amounts.funnel_entity_type,
        convert_lost_amounts.funnel_entity_id,
        convert_lost_amounts.owner_id,
        stg_crm__owners.owner_name,
        stg_crm__owners.team as owner_team,
        int_funnel_entities.channel,
        int_funnel_entities.is_sales_sourced,
        convert_lost_amounts.currency,
        convert_lost_amounts.amount,
        convert_lost_amounts.won_amount_reporting,
        convert_lost_amounts.lost_amount_reporting,
        convert_lost_amounts.is_won,
        convert_lost_amounts.is_lost,
        convert_lost_amounts.closed_date,
        case
            when convert_lost_amounts.funnel_entity_type = 'lead' then int_funnel_entities.created_at
        end as lead_created_at,
        convert_lost_amounts.created_at,
        convert_lost_amounts.won_at,
        convert_lost_amounts.lost_at,
        convert_lost_amounts.closed_at

    from convert_lost_amounts
    left join int_funnel_entities
        on convert_lost_amounts.funnel_entity_type = int_funnel_entities.funnel_entity_type
        and convert_lost_amounts.funnel_entity_id = int_funnel_entities.funnel_entity_id
    left join stg_crm__owners
        on convert_lost_amounts.owner_id = stg_crm__owners.owner_id

),

measure_cycles as (

    select
        *,
        case
            when is_won then {{ dbt.datediff('created_at', 'won_at', 'second') }}
        end as sales_cycle_seconds,
        case
            when is_won and lead_created_at is not null
                then {{ dbt.datediff('lead_created_at', 'won_at', 'second') }}
        end as lead_to_won_seconds

    from add_entities

)

select * from measure_cycles
