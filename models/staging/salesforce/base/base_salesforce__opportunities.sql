{#- Every landed Opportunity row, renamed and cast once: stg_salesforce__opportunities keeps
    the latest version of each opportunity, stg_salesforce__opportunity_versions every distinct
    one. A view, as base_crm__deals. -#}

with

source as (

    {{ native_source(source('salesforce', 'opportunity'), [
        ['id', 'text'], ['name', 'text'], ['account_id', 'text'], ['owner_id', 'text'],
        ['stage_name', 'text'], ['amount', 'decimal'], ['currency_iso_code', 'text'],
        ['probability', 'decimal'], ['close_date', 'date'], ['is_closed', 'boolean'],
        ['is_won', 'boolean'], ['lead_source', 'text'], ['campaign_id', 'text'],
        ['created_date', 'timestamp'], ['is_deleted', 'boolean'],
        ['last_modified_date', 'timestamp'], ['system_modstamp', 'timestamp'],
    ]) }}

),

renamed as (

    select

        ----------  ids
        {{ native_key('id', 'salesforce') }} as deal_id,
        {{ normalize_text('account_id', lowercase=false) }} as account_id,
        {{ native_key('owner_id', 'salesforce') }} as owner_id,

        ---------- text
        'salesforce' as source_system,
        {{ normalize_text('stage_name', lowercase=false) }} as stage_label,
        upper(coalesce(
            {{ normalize_text('currency_iso_code', lowercase=false) }},
            '{{ var("salesforce_corporate_currency") or var("reporting_currency") }}'
        )) as currency,
        {{ normalize_text('name', lowercase=false) }} as deal_name,
        {{ normalize_text('lead_source') }} as lead_source,
        {{ normalize_text('campaign_id', lowercase=false) }} as campaign_id,

        ---------- numerics
        amount,
        probability,

        ---------- booleans
        is_closed,
        is_won,
        coalesce(is_deleted, false) as is_deleted,

        ---------- dates
        close_date as expected_close_date,

        ---------- timestamps
        created_date as created_at,
        coalesce(system_modstamp, last_modified_date, created_date) as updated_at,

        ---------- lineage
        _file_hash,
        _loaded_at,
        _source_file,
        _source_line

    from source

)

select * from renamed
