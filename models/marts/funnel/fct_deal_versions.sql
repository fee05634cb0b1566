with

int_deal_versions as (

    select * from {{ ref('int_deal_versions') }}

),

stg_crm__owners as (

    select * from {{ ref('int_conformed__owners') }}

),

add_owners as (

    select
        int_deal_versions.*,
        stg_crm__owners.owner_name,
        stg_crm__owners.team as owner_team

    from int_deal_versions
    left join stg_crm__owners
        on int_deal_versions.owner_id = stg_crm__owners.owner_id

)

select * from add_owners
