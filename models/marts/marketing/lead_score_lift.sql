{%- set band_sql_rate = safe_divide('count_by_band.sql_count', 'count_by_band.lead_count') -%}
{%- set band_won_rate = safe_divide('count_by_band.won_count', 'count_by_band.lead_count') -%}
{%- set overall_sql_rate = safe_divide('count_overall.sql_count', 'count_overall.lead_count') -%}
{%- set overall_won_rate = safe_divide('count_overall.won_count', 'count_overall.lead_count') -%}

with

lead_scores as (

    select * from {{ ref('lead_scores') }}

),

lead_score_bands as (

    select * from {{ ref('lead_score_bands') }}

),

count_by_band as (

    select
        score_band,
        count(*) as lead_count,
        sum(case when has_reached_sql then 1 else 0 end) as sql_count,
        sum(case when has_reached_won then 1 else 0 end) as won_count,
        min(lead_score) as min_lead_score,
        max(lead_score) as max_lead_score,
        avg(cast(lead_score as {{ dbt.type_float() }})) as average_lead_score

    from lead_scores
    group by score_band

),

count_overall as (

    select
        count(*) as lead_count,
        sum(case when has_reached_sql then 1 else 0 end) as sql_count,
        sum(case when has_reached_won then 1 else 0 end) as won_count

    from lead_scores

),

compute_lift as (

    select

        ---------- text
        lead_score_bands.score_band,
        lead_score_bands.description as score_band_description,

        ---------- numerics
        lead_score_bands.band_order,
        lead_score_bands.min_score,
        lead_score_bands.max_score,
        coalesce(count_by_band.lead_count, 0) as lead_count,
        coalesce(count_by_band.sql_count, 0) as sql_count,
        coalesce(count_by_band.won_count, 0) as won_count,
        count_by_band.min_lead_score,
        count_by_band.max_lead_score,
        count_by_band.average_lead_score,
        {{ band_sql_rate }} as sql_conversion_rate,
        {{ band_won_rate }} as won_conversion_rate,
        {{ overall_sql_rate }} as overall_sql_conversion_rate,
        {{ overall_won_rate }} as overall_won_conversion_rate,
        {{ safe_divide(band_sql_rate, overall_sql_rate) }} as sql_lift,
        {{ safe_divide(band_won_rate, overall_won_rate) }} as won_lift

    from lead_score_bands
    cross join count_overall
    left join count_by_band
        on lead_score_bands.score_band = count_by_band.score_band

)

select * from compute_lift
