{#- Salesforce users in the shape of stg_crm__owners: the team is the user's role
    (UserRole.Name). -#}

with

stg_salesforce__users as (

    select * from {{ ref('stg_salesforce__users') }}

),

stg_salesforce__user_roles as (

    select * from {{ ref('stg_salesforce__user_roles') }}

)

select
    stg_salesforce__users.owner_id,
    stg_salesforce__users.owner_name,
    stg_salesforce__user_roles.role_name as team,
    'salesforce' as source_system

from stg_salesforce__users
left join stg_salesforce__user_roles
    on stg_salesforce__users.user_role_id = stg_salesforce__user_roles.user_role_id
