{%- set owner_id = normalize_text('owner_id', lowercase=false) -%}

with

source as (

    {{ latest_version(source('crm', 'quotas'), partition_by=[owner_id, 'period_start']) }}

),

renamed as (

    select

        ----------  ids
        {{ surrogate_key([owner_id, 'period_start']) }} as quota_id,
        {{ redact_pii(owner_id) }} as owner_id,

        ---------- text
        upper({{ redact_pii(normalize_text('currency', lowercase=false)) }}) as currency,

        ---------- numerics
        amount as quota_amount,

        ---------- dates
        period_start,
        period_end

    from source

)

select * from renamed
