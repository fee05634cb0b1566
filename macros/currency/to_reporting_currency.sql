{#- An amount in var('reporting_currency'): the amount itself when its currency is the
    reporting currency, else amount * rate (rate = units of the reporting currency per unit,
    the day's rate from stg_finance__fx_rates joined by the caller). Null when the rate is
    missing: test the result with the missing_fx_rates generic test so a gap fails the build
    instead of leaving a silent null. -#}
{% macro to_reporting_currency(amount_column, currency_column, rate_column) -%}
    case
        when {{ amount_column }} is null then null
        when upper({{ currency_column }}) = '{{ var("reporting_currency") | upper | trim }}'
            then {{ amount_column }}
        else {{ multiply_amount_by_rate(amount_column, rate_column) }}
    end
{%- endmacro %}
