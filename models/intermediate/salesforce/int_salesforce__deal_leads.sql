{#- The lead each Salesforce opportunity was converted from: Lead.ConvertedOpportunityId (an
    opportunity has no lead column). Several leads converted into one opportunity: the earliest
    conversion wins (then the earliest lead). Deleted leads are left out. -#}

with

stg_salesforce__leads as (

    select * from {{ ref('stg_salesforce__leads') }}

),

rank_conversions as (

    select
        converted_deal_id as deal_id,
        lead_id,
        converted_date,
        row_number() over (
            partition by converted_deal_id
            order by converted_date, created_at, lead_id
        ) as conversion_rank

    from stg_salesforce__leads
    where converted_deal_id is not null
        and not is_deleted

)

select
    deal_id,
    lead_id,
    converted_date

from rank_conversions
where conversion_rank = 1
