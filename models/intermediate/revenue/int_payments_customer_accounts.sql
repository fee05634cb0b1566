with

stg_payments__customers as (

    select * from {{ ref('stg_payments__customers') }}

),

stg_crm__deals as (

    select * from {{ ref('int_conformed__deals') }}

),

stg_crm__leads as (

    select * from {{ ref('int_conformed__leads') }}

),

select_live_deals as (

    select
        deal_id,
        lead_id,
        account_id,
        account_domain

    from stg_crm__deals
    where account_id is not null
        and not is_deleted

),

list_crm_accounts as (

    select distinct account_id

    from select_live_deals

),

collect_account_domains as (

    select
        account_id,
        account_domain as company_domain

    from select_live_deals
    where account_domain is not null

    union

    select
        select_live_deals.account_id,
        stg_crm__leads.company_domain

    from select_live_deals
    inner join stg_crm__leads
        on select_live_deals.lead_id = stg_crm__leads.lead_id
    where stg_crm__leads.company_domain is not null

),

count_accounts_per_domain as (

    select
        company_domain,
        min(account_id) as account_id,
        count(distinct account_id) as crm_account_count

    from collect_account_domains
    group by company_domain

),

match_customers as (

    select
        stg_payments__customers.customer_id,
        stg_payments__customers.crm_account_id,
        stg_payments__customers.company_domain,
        stg_payments__customers.email_domain,
        stg_payments__customers.created_at,
        list_crm_accounts.account_id as account_id_by_id,
        case
            when count_accounts_per_domain.crm_account_count = 1
                then count_accounts_per_domain.account_id
        end as account_id_by_domain,
        coalesce(count_accounts_per_domain.crm_account_count, 0) as domain_crm_account_count

    from stg_payments__customers
    left join list_crm_accounts
        on stg_payments__customers.crm_account_id = list_crm_accounts.account_id
    left join count_accounts_per_domain
        on stg_payments__customers.company_domain = count_accounts_per_domain.company_domain

),

classify_matches as (

    select

        ----------  ids
        customer_id,
        coalesce(account_id_by_id, account_id_by_domain) as account_id,
        crm_account_id,

        ---------- text
        case
            when account_id_by_id is not null then 'account_id'
            when account_id_by_domain is not null then 'company_domain'
            else 'unmatched'
        end as match_method,
        case
            when account_id_by_id is not null or account_id_by_domain is not null then null
            when domain_crm_account_count > 1 then 'ambiguous_domain'
            when company_domain is not null then 'unknown_domain'
            when crm_account_id is not null then 'unknown_crm_account_id'
            else 'no_account_id_or_domain'
        end as unmatched_reason,
        company_domain,
        email_domain,

        ---------- numerics
        domain_crm_account_count,

        ---------- booleans
        crm_account_id is not null and account_id_by_id is null as has_unknown_crm_account_id,

        ---------- timestamps
        created_at

    from match_customers

)

select * from classify_matches
