{%- set owner_id = normalize_text('owner_id', lowercase=false) -%}

with

source as (

    {{ hubspot_source(source('hubspot', 'owner'), [
        ['owner_id', 'text'], ['email', 'text'], ['first_name', 'text'], ['last_name', 'text'],
        ['team_name', 'text'], ['is_active', 'boolean'], ['updated_at', 'timestamp'],
    ]) }}

),

keep_latest_versions as (

    {{ latest_version('source', partition_by=owner_id, order_by='updated_at desc nulls last') }}

),

renamed as (

    select

        ----------  ids
        {{ native_key('owner_id', 'hubspot') }} as owner_id,

        ---------- text
        coalesce(
            nullif(trim({{ dbt.concat([
                "coalesce(" ~ normalize_text('first_name', lowercase=false) ~ ", '')",
                "' '",
                "coalesce(" ~ normalize_text('last_name', lowercase=false) ~ ", '')",
            ]) }}), ''),
            {{ normalize_text('email') }}
        ) as owner_name,
        {{ normalize_text('team_name', lowercase=false) }} as team

    from keep_latest_versions

)

select * from renamed
