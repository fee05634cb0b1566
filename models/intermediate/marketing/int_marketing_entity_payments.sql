with

int_marketing_collected_payments as (

    select * from {{ ref('int_marketing_collected_payments') }}

),

sum_collected_payments as (

    select
        funnel_entity_type,
        funnel_entity_id,
        count(*) as collected_invoice_count,
        sum(collected_amount_reporting) as collected_amount_reporting

    from int_marketing_collected_payments
    where is_linked_to_funnel
    group by funnel_entity_type, funnel_entity_id

)

select * from sum_collected_payments
