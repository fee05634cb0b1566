-- The day spine MetricFlow needs (time_spine in the YAML): every day from var
-- time_spine_start_date to var time_spine_end_date, built from a cross join of digits and
-- dbt's cross-database dateadd so that it ports to any warehouse.
with

digits as (

    {%- for digit in range(10) %}
    select {{ digit }} as digit
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

day_offsets as (

    select
        thousands.digit * 1000 + hundreds.digit * 100 + tens.digit * 10 + ones.digit
            as day_offset

    from digits as thousands
    cross join digits as hundreds
    cross join digits as tens
    cross join digits as ones

),

spine_days as (

    select
        cast(
            {{ dbt.dateadd('day', 'day_offset', "cast('" ~ var('time_spine_start_date') ~ "' as date)") }}
            as date
        ) as date_day

    from day_offsets

),

final as (

    select date_day

    from spine_days
    where date_day <= cast('{{ var("time_spine_end_date") }}' as date)

)

select * from final
