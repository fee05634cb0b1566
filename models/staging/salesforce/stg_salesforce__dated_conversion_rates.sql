{%- set currency = 'upper(' ~ normalize_text('iso_code', lowercase=false) ~ ')' -%}

with

source as (

    {{ native_source(source('salesforce', 'dated_conversion_rate'), [
        ['id', 'text'], ['iso_code', 'text'], ['conversion_rate', 'decimal'],
        ['start_date', 'date'], ['next_start_date', 'date'], ['last_modified_date', 'timestamp'],
        ['system_modstamp', 'timestamp'],
    ]) }}

),

keep_latest_versions as (

    {{ latest_version(
        'source',
        partition_by=[currency, 'start_date'],
        order_by='coalesce(system_modstamp, last_modified_date) desc nulls last',
    ) }}

),

renamed as (

    select

        ----------  ids
        {{ surrogate_key([currency, 'start_date']) }} as dated_conversion_rate_id,

        ---------- text
        {{ currency }} as currency,

        ---------- numerics
        conversion_rate,

        ---------- dates
        start_date,
        next_start_date

    from keep_latest_versions

)

select * from renamed
