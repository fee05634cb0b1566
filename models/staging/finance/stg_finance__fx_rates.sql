{%- set rate_date = adapter.quote('date') -%}
{%- set currency = 'upper(' ~ normalize_text('currency', lowercase=false) ~ ')' -%}

with

source as (

    {{ latest_version(source('finance', 'fx_rates'), partition_by=[rate_date, currency]) }}

),

renamed as (

    select

        ----------  ids
        {{ surrogate_key([rate_date, currency]) }} as fx_rate_id,

        ---------- text
        {{ redact_pii(currency) }} as currency,

        ---------- numerics
        rate_to_reporting,

        ---------- dates
        {{ rate_date }} as rate_date

    from source

)

select * from renamed
