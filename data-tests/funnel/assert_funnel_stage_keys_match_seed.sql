-- var('funnel_stage_keys') (read by funnel_stage_keys()) must list the ordered stages of
-- seeds/funnel_stages.csv, in stage_order. Returns one row per position where they disagree.

with

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

list_configured_stages as (

    {% for stage_key in funnel_stage_keys() -%}
    select
        '{{ stage_key }}' as stage_key,
        {{ loop.index }} as stage_position
    {% if not loop.last %}
    union all

    {% endif -%}
    {%- endfor %}

),

list_seeded_stages as (

    select
        lower(trim(stage_key)) as stage_key,
        row_number() over (order by stage_order) as stage_position

    from funnel_stages
    where stage_order is not null

),

compare_positions as (

    select
        coalesce(
            list_configured_stages.stage_position, list_seeded_stages.stage_position
        ) as stage_position,
        list_configured_stages.stage_key as configured_stage_key,
        list_seeded_stages.stage_key as seeded_stage_key

    from list_configured_stages
    full outer join list_seeded_stages
        on list_configured_stages.stage_position = list_seeded_stages.stage_position
    where list_configured_stages.stage_key is null
        or list_seeded_stages.stage_key is null
        or list_configured_stages.stage_key <> list_seeded_stages.stage_key

)

select * from compare_positions
