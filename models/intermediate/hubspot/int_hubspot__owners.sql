{#- Union member of int_conformed__owners: one row per HubSpot owner, in the columns of
    stg_crm__owners. -#}

with

stg_hubspot__owners as (

    select * from {{ ref('stg_hubspot__owners') }}

)

select
    owner_id,
    owner_name,
    team,
    'hubspot' as source_system

from stg_hubspot__owners
