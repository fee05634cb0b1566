with

int_stage_spells as (

    select * from {{ ref('int_stage_spells') }}

),

stg_crm__deals as (

    select * from {{ ref('int_conformed__deals') }}

),

stg_finance__fx_rates as (

    select * from {{ ref('int_conformed__fx_rates') }}

),

find_current_deal_spells as (

    select * from int_stage_spells
    where entity_type = 'deal'
        and is_current

),

join_deals as (

    select
        stg_crm__deals.deal_id,
        stg_crm__deals.lead_id,
        find_current_deal_spells.funnel_entity_type,
        find_current_deal_spells.funnel_entity_id,
        stg_crm__deals.owner_id,
        find_current_deal_spells.stage_key as current_stage_key,
        find_current_deal_spells.stage_order as current_stage_order,
        stg_crm__deals.currency,
        stg_crm__deals.amount,
        not find_current_deal_spells.is_terminal_stage as is_open,
        find_current_deal_spells.is_won_stage as is_won,
        find_current_deal_spells.is_lost_stage as is_lost,
        case
            when find_current_deal_spells.is_won_stage
                then {{ to_reporting_date('find_current_deal_spells.entered_at') }}
        end as won_date,
        stg_crm__deals.created_at,
        find_current_deal_spells.entered_at as current_stage_entered_at,
        case
            when find_current_deal_spells.is_won_stage then find_current_deal_spells.entered_at
        end as won_at,
        case
            when find_current_deal_spells.is_lost_stage then find_current_deal_spells.entered_at
        end as lost_at

    from stg_crm__deals
    inner join find_current_deal_spells
        on stg_crm__deals.deal_id = find_current_deal_spells.entity_id
    where not stg_crm__deals.is_deleted

),

convert_won_amounts as (

    select
        join_deals.*,
        stg_finance__fx_rates.rate_to_reporting as won_fx_rate,
        case
            when join_deals.is_won
                then {{ to_reporting_currency(
                    'join_deals.amount', 'join_deals.currency', 'stg_finance__fx_rates.rate_to_reporting'
                ) }}
        end as won_amount_reporting

    from join_deals
    left join stg_finance__fx_rates
        on join_deals.won_date = stg_finance__fx_rates.rate_date
        and join_deals.currency = stg_finance__fx_rates.currency

)

select * from convert_won_amounts
