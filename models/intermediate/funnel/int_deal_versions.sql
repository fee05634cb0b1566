with

stg_crm__deal_versions as (

    select * from {{ ref('int_conformed__deal_versions') }}

),

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

order_versions as (

    select
        *,
        row_number() over (
            partition by deal_id order by valid_from
        ) as version_number,
        lead(valid_from) over (
            partition by deal_id order by valid_from
        ) as next_valid_from

    from stg_crm__deal_versions

),

set_validity as (

    select
        {{ surrogate_key(['order_versions.deal_id', 'order_versions.valid_from']) }} as deal_version_id,
        order_versions.deal_id,
        order_versions.lead_id,
        order_versions.account_id,
        order_versions.owner_id,
        order_versions.version_number,
        order_versions.source_system,
        order_versions.stage_label,
        order_versions.stage_key,
        funnel_stages.stage_order,
        funnel_stages.win_probability,
        order_versions.currency,
        order_versions.amount,
        order_versions.is_deleted,
        order_versions.is_stage_mapped,
        coalesce(not funnel_stages.is_terminal, false) as is_open_stage,
        coalesce(funnel_stages.is_won, false) as is_won_stage,
        coalesce(funnel_stages.is_terminal and not funnel_stages.is_won, false) as is_lost_stage,
        order_versions.next_valid_from is null as is_current,
        order_versions.expected_close_date,
        order_versions.created_at,
        order_versions.updated_at,
        case
            when order_versions.version_number = 1 and order_versions.created_at < order_versions.valid_from
                then order_versions.created_at
            else order_versions.valid_from
        end as valid_from,
        order_versions.next_valid_from as valid_to

    from order_versions
    left join funnel_stages
        on order_versions.stage_key = funnel_stages.stage_key

),

add_reporting_dates as (

    select
        *,
        {{ to_reporting_date('valid_from') }} as valid_from_date,
        {{ to_reporting_date('valid_to') }} as valid_to_date

    from set_validity

)

select * from add_reporting_dates
