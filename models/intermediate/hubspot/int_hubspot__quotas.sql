{#- Union member of int_conformed__quotas: HubSpot lands no quota object (its goals are not read),
    so no rows; land quotas in the canonical crm/quotas with owner_id 'hubspot:<owner id>'. -#}

select
    cast(null as {{ dbt.type_string() }}) as quota_id,
    cast(null as {{ dbt.type_string() }}) as owner_id,
    cast(null as {{ dbt.type_string() }}) as currency,
    cast(null as decimal(38, 9)) as quota_amount,
    cast(null as date) as period_start,
    cast(null as date) as period_end,
    'hubspot' as source_system

where 1 = 0
