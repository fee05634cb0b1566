{#- Conform point of payment customers (issue 14): the canonical landing contract's customers
    and Stripe's (when var using_stripe), in the columns of stg_payments__customers. -#}
with

stg_payments__customers as (

    select * from {{ ref('stg_payments__customers') }}

),

{% if var('using_stripe') -%}
int_stripe__payments_customers as (

    select * from {{ ref('int_stripe__payments_customers') }}

),

{% endif -%}
union_systems as (

    select
        customer_id,
        crm_account_id,
        email_hash,
        email_domain,
        company_domain,
        created_at,
        'canonical' as source_system

    from stg_payments__customers
    {%- if var('using_stripe') %}

    union all

    select
        customer_id,
        crm_account_id,
        email_hash,
        email_domain,
        company_domain,
        created_at,
        'stripe' as source_system

    from int_stripe__payments_customers
    {%- endif %}

)

select * from union_systems
