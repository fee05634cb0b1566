{#- An integer amount in a currency's minor unit (Stripe's amounts: cents, or yen for a
    zero-decimal currency) as a decimal(38, 9) amount in the currency's major unit: divided by
    10 ^ digits, digits from the currency_minor_units seed (joined by the caller), 2 when the
    currency is not listed. Exact decimal arithmetic, no floating point. -#}
{% macro minor_units_to_amount(amount_column, digits_column) -%}
    cast(
        cast({{ amount_column }} as decimal(38, 0))
        * case coalesce({{ digits_column }}, 2)
            when 0 then 1.000
            when 3 then 0.001
            else 0.010
        end
        as decimal(38, 9)
    )
{%- endmacro %}
