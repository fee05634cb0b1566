{#- Fails with one row per (currency, day) for which rows of the model have an amount but no
    amount in the reporting currency, i.e. no fx rate was found: the currency, the day and the
    number of rows, so the failure names the missing rates. column_name: the converted amount;
    scope it (e.g. to won deals) with the test's `where` config. -#}
{% test missing_fx_rates(model, column_name, amount_column, currency_column, date_column) %}

with

unconverted_amounts as (

    select
        {{ currency_column }} as currency,
        {{ date_column }} as rate_date,
        count(*) as row_count

    from {{ model }}
    where {{ amount_column }} is not null
        and {{ column_name }} is null
    group by {{ currency_column }}, {{ date_column }}

)

select * from unconverted_amounts

{% endtest %}
