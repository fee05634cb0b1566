{#- Means are taken over whole seconds (an exact integer sum) and only then turned into days, so
    they do not depend on the order in which parallel threads add up floating-point numbers:
    two builds of the same data give identical marts. -#}

with

fct_stage_spells as (

    select * from {{ ref('fct_stage_spells') }}

),

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

list_open_stages as (

    select
        stage_key,
        stage_order,
        entity_type

    from funnel_stages
    where stage_order is not null
        and not is_terminal

),

classify_spells as (

    select
        stage_key,
        case
            when not is_current then 'completed'
            when is_lead_converted and entered_at <= lead_converted_at then 'completed'
            when is_lead_converted then 'after_conversion'
            else 'open'
        end as spell_status,
        case
            when not is_current then duration_seconds
            when is_lead_converted and entered_at <= lead_converted_at
                then {{ dbt.datediff('entered_at', 'lead_converted_at', 'second') }}
            else duration_seconds
        end as spell_seconds

    from fct_stage_spells

),

measure_days as (

    select
        stage_key,
        spell_status,
        spell_seconds,
        {{ safe_divide('spell_seconds', '86400.0') }} as spell_days

    from classify_spells

),

summarize_completed_spells as (

    select
        stage_key,
        count(*) as completed_spell_count,
        {{ safe_divide(safe_divide('sum(spell_seconds)', '86400.0'), 'count(*)') }} as completed_mean_days,
        {{ percentile('spell_days', 0.5) }} as completed_median_days,
        {{ percentile('spell_days', 0.9) }} as completed_p90_days

    from measure_days
    where spell_status = 'completed'
    group by stage_key

),

summarize_open_spells as (

    select
        stage_key,
        count(*) as open_spell_count,
        {{ safe_divide(safe_divide('sum(spell_seconds)', '86400.0'), 'count(*)') }} as open_mean_age_days,
        {{ percentile('spell_days', 0.5) }} as open_median_age_days,
        {{ percentile('spell_days', 0.9) }} as open_p90_age_days,
        max(spell_days) as open_max_age_days

    from measure_days
    where spell_status = 'open'
    group by stage_key

),

join_summaries as (

    select
        list_open_stages.stage_key,
        list_open_stages.stage_order,
        list_open_stages.entity_type,
        coalesce(summarize_completed_spells.completed_spell_count, 0) as completed_spell_count,
        summarize_completed_spells.completed_mean_days,
        summarize_completed_spells.completed_median_days,
        summarize_completed_spells.completed_p90_days,
        coalesce(summarize_open_spells.open_spell_count, 0) as open_spell_count,
        summarize_open_spells.open_mean_age_days,
        summarize_open_spells.open_median_age_days,
        summarize_open_spells.open_p90_age_days,
        summarize_open_spells.open_max_age_days,
        {{ as_of_date() }} as as_of_date

    from list_open_stages
    left join summarize_completed_spells
        on list_open_stages.stage_key = summarize_completed_spells.stage_key
    left join summarize_open_spells
        on list_open_stages.stage_key = summarize_open_spells.stage_key

)

select * from join_summaries
