{#- The daily fx rates of finance/fx_rates, completed by each native system's rates for the
    (day, currency) pairs the canonical file lacks: one rate per day and currency, the
    canonical one first, then the systems in var('native_crm_systems') order (those with something to read:
    active_native_systems). -#}

with

union_rates as (

    {{ conform('fx_rates', 'stg_finance__fx_rates',
        ['fx_rate_id', 'currency', 'rate_to_reporting', 'rate_date'],
        add_source_system=true) }}

),

rank_sources as (

    select
        *,
        row_number() over (
            partition by rate_date, currency
            order by case source_system
                when 'canonical' then 0
                {%- for system in active_native_systems('native_crm_systems') %}
                when '{{ system }}' then {{ loop.index }}
                {%- endfor %}
            end
        ) as source_rank

    from union_rates

)

select
    fx_rate_id,
    currency,
    rate_to_reporting,
    rate_date,
    source_system

from rank_sources
where source_rank = 1
