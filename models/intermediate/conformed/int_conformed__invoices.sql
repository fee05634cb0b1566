{#- Conform point of invoices (issue 14), the input of the revenue models: the canonical
    landing contract's invoices and Stripe's (when var using_stripe; see
    int_stripe__payments_invoices), in the columns of stg_payments__invoices. -#}
{%- set invoice_columns = [
    'invoice_id', 'customer_id', 'subscription_id', 'invoice_status', 'currency', 'amount',
    'period_start', 'period_end', 'issued_at', 'paid_at', 'updated_at',
] -%}

with

stg_payments__invoices as (

    select * from {{ ref('stg_payments__invoices') }}

),

{% if var('using_stripe') -%}
int_stripe__payments_invoices as (

    select * from {{ ref('int_stripe__payments_invoices') }}

),

{% endif -%}
union_systems as (

    select
        {%- for column in invoice_columns %}
        {{ column }},
        {%- endfor %}
        'canonical' as source_system

    from stg_payments__invoices
    {%- if var('using_stripe') %}

    union all

    select
        {%- for column in invoice_columns %}
        {{ column }},
        {%- endfor %}
        'stripe' as source_system

    from int_stripe__payments_invoices
    {%- endif %}

)

select * from union_systems
