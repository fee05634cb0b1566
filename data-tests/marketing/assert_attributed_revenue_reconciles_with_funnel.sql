-- attributed_revenue_by_stage must account for every funnel entity once per stage reached:
-- for each attribution model, stage and month, the attributed conversions (credited and
-- unattributed) add up to the entities that reached the stage in the month, and for each model
-- and stage the attributed won revenue adds up to the won revenue of those entities. Returns
-- the (model, stage, month) rows that do not reconcile. Credits are decimal, so conversions must
-- match exactly; revenue is rounded per credit row to 9 decimals, hence the small tolerance.

with

attributed_revenue_by_stage as (

    select * from {{ ref('attributed_revenue_by_stage') }}

),

int_funnel_milestones as (

    select * from {{ ref('int_funnel_milestones') }}

),

fct_funnel as (

    select * from {{ ref('fct_funnel') }}

),

sum_attributed as (

    select
        attribution_model,
        stage_key,
        milestone_month,
        sum(attributed_conversions) as attributed_conversions,
        sum(attributed_won_revenue) as attributed_won_revenue

    from attributed_revenue_by_stage
    group by attribution_model, stage_key, milestone_month

),

count_reached as (

    select
        int_funnel_milestones.stage_key,
        cast({{ dbt.date_trunc('month', to_reporting_date('int_funnel_milestones.reached_at')) }} as date)
            as milestone_month,
        count(*) as reached_count,
        sum(coalesce(fct_funnel.won_amount_reporting, 0)) as won_amount_reporting

    from int_funnel_milestones
    inner join fct_funnel
        on int_funnel_milestones.funnel_entity_type = fct_funnel.funnel_entity_type
        and int_funnel_milestones.funnel_entity_id = fct_funnel.funnel_entity_id
    group by
        int_funnel_milestones.stage_key,
        cast({{ dbt.date_trunc('month', to_reporting_date('int_funnel_milestones.reached_at')) }} as date)

),

list_models as (

    select distinct attribution_model from attributed_revenue_by_stage

),

compare_totals as (

    select
        list_models.attribution_model,
        count_reached.stage_key,
        count_reached.milestone_month,
        count_reached.reached_count,
        sum_attributed.attributed_conversions,
        count_reached.won_amount_reporting,
        sum_attributed.attributed_won_revenue

    from count_reached
    cross join list_models
    left join sum_attributed
        on list_models.attribution_model = sum_attributed.attribution_model
        and count_reached.stage_key = sum_attributed.stage_key
        and count_reached.milestone_month = sum_attributed.milestone_month

),

find_differences as (

    select * from compare_totals
    where attributed_conversions is null
        or attributed_conversions <> reached_count
        or abs(attributed_won_revenue - won_amount_reporting) > 0.0001

)

select * from find_differences
