{#- Salesforce amount quotas (ForecastingQuota with IsAmount) in the shape of stg_crm__quotas.
    Salesforce stores a quota's start date only: the period lasts
    var('salesforce_quota_period_months') months. Deleted quotas are left out. -#}

with

stg_salesforce__forecasting_quotas as (

    select * from {{ ref('stg_salesforce__forecasting_quotas') }}

)

select
    {{ surrogate_key(['owner_id', 'period_start']) }} as quota_id,
    owner_id,
    currency,
    quota_amount,
    period_start,
    cast({{ dbt.dateadd(
        'day', -1,
        dbt.dateadd('month', var('salesforce_quota_period_months'), 'period_start')
    ) }} as date) as period_end,
    'salesforce' as source_system

from stg_salesforce__forecasting_quotas
where is_amount and not is_deleted
