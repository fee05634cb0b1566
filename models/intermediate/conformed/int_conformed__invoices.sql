{#- issue 14: canonical invoices and each system of var('native_billing_systems') -#}
{{ conform(
    'payments_invoices', 'stg_payments__invoices',
    ['invoice_id', 'customer_id', 'subscription_id', 'invoice_status', 'currency', 'amount',
     'period_start', 'period_end', 'issued_at', 'paid_at', 'updated_at'],
    add_source_system=true, systems=active_native_systems('native_billing_systems'),
) }}
