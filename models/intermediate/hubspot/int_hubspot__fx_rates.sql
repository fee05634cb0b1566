{#- Union member of int_conformed__fx_rates: HubSpot lands no exchange rates here, so no rows;
    the canonical finance/fx_rates convert HubSpot amounts too. -#}

select
    cast(null as {{ dbt.type_string() }}) as fx_rate_id,
    cast(null as {{ dbt.type_string() }}) as currency,
    cast(null as decimal(38, 9)) as rate_to_reporting,
    cast(null as date) as rate_date,
    'hubspot' as source_system

where 1 = 0
