{%- set interval = normalize_text('coalesce(recurring_interval, ' ~ json_text('recurring', "'interval'") ~ ')') -%}
{%- set interval_count = 'coalesce(recurring_interval_count, cast(' ~ json_text('recurring', "'interval_count'") ~ ' as ' ~ dbt.type_bigint() ~ '), 1)' -%}

with

source_columns as (

    {{ native_source(source('stripe', 'price'), [
        ['id', 'text'], ['product_id', 'text'], ['product', 'text'], ['currency', 'text'],
        ['unit_amount', 'integer'], ['recurring_interval', 'text'],
        ['recurring_interval_count', 'integer'], ['type', 'text'], ['recurring', 'text'],
    ]) }}

),

source as (

    {{ latest_version(
        'source_columns',
        partition_by=normalize_text('id', lowercase=false),
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ normalize_text('id', lowercase=false) }} as price_id,
        {{ normalize_text('coalesce(product_id, product)', lowercase=false) }} as product_id,

        ---------- text
        upper({{ normalize_text('currency', lowercase=false) }}) as currency,
        {{ interval }} as recurring_interval,

        ---------- numerics
        unit_amount as unit_amount_minor,
        {{ interval_count }} as recurring_interval_count,
        {#- the price's billing period in months: ChartMogul's normalisation of a plan to a
            month (a year is 12 months, a quarter an interval of 3 months); null for an interval
            MRR cannot be expressed in whole months (day, week, or an unknown value) -#}
        case {{ interval }}
            when 'month' then 1
            when 'year' then 12
        end * {{ interval_count }} as interval_month_count,

        ---------- booleans
        {{ interval }} is not null
        and {{ interval }} not in ('day', 'week', 'month', 'year') as has_unknown_interval

    from source

)

select * from renamed
