{%- set owner_id = normalize_text('quota_owner_id', lowercase=false) -%}

with

source as (

    {{ native_source(source('salesforce', 'forecasting_quota'), [
        ['id', 'text'], ['quota_owner_id', 'text'], ['start_date', 'date'],
        ['quota_amount', 'decimal'], ['currency_iso_code', 'text'], ['is_amount', 'boolean'],
        ['is_deleted', 'boolean'], ['last_modified_date', 'timestamp'],
        ['system_modstamp', 'timestamp'],
    ]) }}

),

keep_latest_versions as (

    {{ latest_version(
        'source',
        partition_by=[owner_id, 'start_date'],
        order_by='coalesce(system_modstamp, last_modified_date) desc nulls last',
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ surrogate_key([owner_id, 'start_date']) }} as forecasting_quota_id,
        {{ native_key('quota_owner_id', 'salesforce') }} as owner_id,

        ---------- text
        upper(coalesce(
            {{ normalize_text('currency_iso_code', lowercase=false) }},
            '{{ var("salesforce_corporate_currency") or var("reporting_currency") }}'
        )) as currency,

        ---------- numerics
        quota_amount,

        ---------- booleans
        coalesce(is_amount, quota_amount is not null) as is_amount,
        coalesce(is_deleted, false) as is_deleted,

        ---------- dates
        start_date as period_start

    from keep_latest_versions

)

select * from renamed
