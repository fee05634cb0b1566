-- The day spine MetricFlow needs (time_spine in the YAML): every day from var
-- time_spine_start_date to var time_spine_end_date, from the project's portable calendar
-- macro (date_series).
with

spine_values as (

    select
        {{ date_series(
            'day',
            "cast('" ~ var('time_spine_start_date') ~ "' as date)",
            "cast('" ~ var('time_spine_end_date') ~ "' as date)"
        ) }} as spine_value

),

final as (

    select cast(spine_value as date) as date_day

    from spine_values

)

select * from final
