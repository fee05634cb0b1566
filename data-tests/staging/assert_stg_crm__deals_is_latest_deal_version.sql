-- stg_crm__deals and stg_crm__deal_versions are both read from the raw deals; every deal must be
-- exactly the last of its versions. Returns the deals where they disagree.

with

deals as (

    select * from {{ ref('stg_crm__deals') }}

),

deal_versions as (

    select * from {{ ref('stg_crm__deal_versions') }}

),

ranked_versions as (

    select
        *,
        row_number() over (partition by deal_id order by valid_from desc) as version_rank

    from deal_versions

),

latest_versions as (

    select * from ranked_versions
    where version_rank = 1

),

mismatches as (

    select
        coalesce(deals.deal_id, latest_versions.deal_id) as deal_id,
        deals.updated_at as deal_updated_at,
        latest_versions.updated_at as latest_version_updated_at,
        deals.stage_label as deal_stage_label,
        latest_versions.stage_label as latest_version_stage_label

    from deals
    full outer join latest_versions
        on deals.deal_id = latest_versions.deal_id
    where deals.deal_id is null
        or latest_versions.deal_id is null
        or deals.updated_at <> latest_versions.updated_at
        or deals.stage_label is distinct from latest_versions.stage_label
        or deals.amount is distinct from latest_versions.amount
        or deals.owner_id is distinct from latest_versions.owner_id
        or deals.is_deleted <> latest_versions.is_deleted

)

select * from mismatches
