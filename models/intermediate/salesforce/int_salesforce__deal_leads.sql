{#- The lead each Salesforce opportunity was converted from: Lead.ConvertedOpportunityId (an
    opportunity has no lead column). Several leads converted into one opportunity: the earliest
    conversion wins (then the earliest lead). Deleted leads are left out. The lead's company name and
    domain stand for the opportunity's account (conversion creates the Account from them). -#}

with

stg_salesforce__leads as (

    select * from {{ ref('stg_salesforce__leads') }}

),

rank_conversions as (

    select
        converted_deal_id as deal_id,
        lead_id,
        converted_date,
        company_name,
        company_domain,
        row_number() over (
            partition by converted_deal_id
            order by converted_date nulls last, created_at nulls last, lead_id
        ) as conversion_rank

    from stg_salesforce__leads
    where converted_deal_id is not null
        and not is_deleted

)

select
    deal_id,
    lead_id,
    converted_date,
    company_name,
    company_domain

from rank_conversions
where conversion_rank = 1
