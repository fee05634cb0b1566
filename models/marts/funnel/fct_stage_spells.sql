with

int_stage_spells as (

    select * from {{ ref('int_stage_spells') }}

),

add_reporting_dates as (

    select
        *,
        {{ to_reporting_date('entered_at') }} as entered_date,
        {{ to_reporting_date('exited_at') }} as exited_date

    from int_stage_spells

)

select * from add_reporting_dates
