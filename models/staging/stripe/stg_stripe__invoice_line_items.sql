{%- set line_id = normalize_text('id', lowercase=false) -%}
{%- set currency = 'upper(' ~ normalize_text('currency', lowercase=false) ~ ')' -%}

with

source_columns as (

    {{ native_source(source('stripe', 'invoice_line_item'), [
        ['id', 'text'], ['amount', 'integer'], ['invoice_id', 'text'], ['invoice', 'text'],
        ['subscription_id', 'text'], ['subscription', 'text'], ['price_id', 'text'],
        ['price', 'text'], ['type', 'text'], ['proration', 'boolean'],
        ['discount_amount', 'integer'], ['currency', 'text'], ['quantity', 'integer'],
        ['period_start', 'timestamp'], ['period_end', 'timestamp'],
    ]) }}

),

source as (

    {{ latest_version(
        'source_columns',
        partition_by=line_id,
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
        {{ line_id }} as line_item_id,
        {{ normalize_text('coalesce(invoice_id, invoice)', lowercase=false) }} as invoice_id,
        {{ normalize_text('coalesce(subscription_id, subscription)', lowercase=false) }} as subscription_id,
        {{ normalize_text('coalesce(price_id, ' ~ json_text('price', "'id'") ~ ', price)', lowercase=false) }} as price_id,

        ---------- text
        {{ normalize_text('type') }} as line_type,
        {{ currency }} as currency,

        ---------- numerics
        {{ minor_units_to_amount('amount', 'minor_unit_digits') }} as gross_amount,
        {{ minor_units_to_amount('coalesce(discount_amount, 0)', 'minor_unit_digits') }} as discount_amount,
        {{ minor_units_to_amount('amount - coalesce(discount_amount, 0)', 'minor_unit_digits') }} as net_amount,
        coalesce(quantity, 1) as quantity,

        ---------- booleans
        coalesce(proration, false) as is_proration,

        ---------- timestamps
        period_start,
        period_end

    from add_minor_units

)

select * from renamed
