{#- issue 14: canonical payment customers and each system of var('native_billing_systems') -#}
{{ conform(
    'payments_customers', 'stg_payments__customers',
    ['customer_id', 'crm_account_id', 'email_hash', 'email_domain', 'company_domain', 'created_at'],
    add_source_system=true, systems=active_native_systems('native_billing_systems'),
) }}
