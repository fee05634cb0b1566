{%- set currency = 'upper(' ~ normalize_text('currency', lowercase=false) ~ ')' -%}

with

source_columns as (

    {{ native_source(source('stripe', 'refund'), [
        ['id', 'text'], ['amount', 'integer'], ['charge_id', 'text'], ['charge', 'text'],
        ['currency', 'text'], ['status', 'text'], ['created', 'timestamp'],
    ]) }}

),

source as (

    {{ latest_version(
        'source_columns',
        partition_by=normalize_text('id', lowercase=false),
    ) }}

),

currency_minor_units as (

    select * from {{ ref('currency_minor_units') }}

),

add_minor_units as (

    select
        source.*,
        coalesce(currency_minor_units.minor_unit_digits, 2) as minor_unit_digits

    from source
    left join currency_minor_units
        on {{ currency | replace('currency', 'source.currency') }} = currency_minor_units.currency

),

renamed as (

    select

        ----------  ids
        {{ normalize_text('id', lowercase=false) }} as refund_id,
        {{ normalize_text('coalesce(charge_id, charge)', lowercase=false) }} as charge_id,

        ---------- text
        {{ normalize_text('status') }} as refund_status,
        {{ currency }} as currency,

        ---------- numerics
        {{ minor_units_to_amount('amount', 'minor_unit_digits') }} as refund_amount,

        ---------- timestamps
        created as refunded_at

    from add_minor_units

)

select * from renamed
