with

int_stage_transitions as (

    select * from {{ ref('int_stage_transitions') }}

),

add_reporting_dates as (

    select
        *,
        {{ to_reporting_date('changed_at') }} as changed_date

    from int_stage_transitions

),

truncate_reporting_dates as (

    select
        *,
        cast({{ dbt.date_trunc('week', 'changed_date') }} as date) as changed_week,
        cast({{ dbt.date_trunc('month', 'changed_date') }} as date) as changed_month

    from add_reporting_dates

)

select * from truncate_reporting_dates
