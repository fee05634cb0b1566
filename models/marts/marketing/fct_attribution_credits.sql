{#- Incremental on DuckDB and PostgreSQL (replace_entities by funnel entity, macros/versioning/):
    a night recomputes only the entities whose credits can have changed, and replaces all their
    rows. An entity's credits are a function of its rows in int_attribution_touches and of its
    won_amount_reporting (fct_funnel) and collected_amount_reporting
    (int_marketing_entity_payments) alone, and the table holds all of them: the linear model
    has one row per touch row (touch columns and both amounts), the last non-direct model's
    rows name the touch it credits (first and last touch follow from position and count). So
    an entity is recomputed exactly when those rows differ from the inputs, compared both ways:
    per entity the count and summed row_signature of the touch rows with both amounts (a
    chance of about 2^-64 that a change goes unseen), and the last non-direct touches row by
    row (except). So a new, changed or removed touch or milestone, a changed won amount (a
    deal, an fx rate), a changed collected amount (a payment, a customer match) is seen,
    whatever upstream caused it. No watermark: a night that failed half-way is caught up by
    the next. Seed, var and SQL changes are fingerprinted to force a full refresh (issue 17 item 2).
    Measured against the table form in BENCHMARKS.md ("Entity-level incremental models"). On
    Spark a table (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_entities',
    unique_key='funnel_entity_id',
    entity_row_key='touchpoint_id',
    on_schema_change='fail',
) }}
{% if 'linear' not in attribution_models() or 'last_non_direct_touch' not in attribution_models() -%}
    {{ exceptions.raise_compiler_error(
        "fct_attribution_credits finds changed entities from its linear and last_non_direct_touch rows"
    ) }}
{%- endif %}
{#- Credits are computed as decimal(13, 12) and published as decimal(38, 12). Under linear and
    position-based the last touch takes 1 - (the sum of the other touches' rounded credits), so
    the credits of every entity, milestone and model add up to exactly 1 in decimal arithmetic
    (credits_sum_to_one). Every credit is a function of the touch's position and the
    milestone's touch count alone, so the last touch's remainder is written in closed form: no
    window over the credits. The narrow working type (credits lie in [0, 1]) keeps every
    product exact on every engine: Spark cuts the scale of a decimal product whose precision
    passes 38 to 6 places, so (n - 1) x a decimal(38, 12) share missed 1 by up to 1e-6 there,
    while integer x decimal(13, 12) stays within 38 digits and keeps 12 places. DuckDB and
    PostgreSQL compute the same values in either type. -#}
{%- set credit_type = 'decimal(13, 12)' -%}
{%- set published_credit_type = 'decimal(38, 12)' -%}
{%- set one = 'cast(1 as ' ~ credit_type ~ ')' -%}
{#- linear: every touch 1 / n rounded; the last takes 1 - (n - 1) x that share. -#}
{%- set linear_share = 'cast(1.0 / touch_count as ' ~ credit_type ~ ')' -%}
{%- set linear_credit -%}
case
            when touch_position = touch_count then {{ one }} - (touch_count - 1) * {{ linear_share }}
            else {{ linear_share }}
        end
{%- endset -%}
{#- position-based (40/20/40): 1 touch takes all, 2 touches half each, else 40 % to the first,
    40 % to the last and 20 % split evenly over the n - 2 touches between, the last taking
    1 - 0.4 - (n - 2) x the rounded middle share. -#}
{%- set middle_share = 'cast(0.2 / (touch_count - 2) as ' ~ credit_type ~ ')' -%}
{%- set position_based_credit -%}
case
            when touch_count = 1 then {{ one }}
            when touch_count = 2 then cast(0.5 as {{ credit_type }})
            when touch_position = 1 then cast(0.4 as {{ credit_type }})
            when touch_position = touch_count
                then {{ one }} - cast(0.4 as {{ credit_type }}) - (touch_count - 2) * {{ middle_share }}
            else {{ middle_share }}
        end
{%- endset -%}
{#- Per attribution model: which touches get credit, and their credit. -#}
{%- set credit_rules = {
    'first_touch': ('is_first_touch', one),
    'last_touch': ('is_last_touch', one),
    'last_non_direct_touch': ('is_last_non_direct_touch', one),
    'linear': ('true', linear_credit),
    'position_based': ('true', position_based_credit),
} -%}

with

int_attribution_touches as (

    select * from {{ ref('int_attribution_touches') }}

),

fct_funnel as (

    select * from {{ ref('fct_funnel') }}

),

int_marketing_entity_payments as (

    select * from {{ ref('int_marketing_entity_payments') }}

),

{% if is_incremental() -%}
{%- set compared_touch_columns = [
    'funnel_entity_id', 'stage_key', 'touchpoint_id', 'channel', 'touch_source', 'touch_medium',
    'touch_campaign', 'keyword', 'touch_type', 'stage_order', 'touch_position', 'touch_count',
    'is_direct', 'occurred_at', 'reached_at',
] -%}
{%- set current_touch_columns = [] -%}
{%- set credited_touch_columns = [] -%}
{%- for column in compared_touch_columns -%}
{%- do current_touch_columns.append('int_attribution_touches.' ~ column) -%}
{%- do credited_touch_columns.append(column) -%}
{%- endfor -%}
{#- Per entity: the count and the summed row_signature of its touch rows with both amounts,
    from the inputs and from the linear rows here (one per touch row). Summed per entity
    rather than compared row by row (except): at L the rows did not fit the memory limit. -#}
sign_current_touches as (

    select
        int_attribution_touches.funnel_entity_id,
        count(*) as touch_rows,
        sum({{ row_signature(current_touch_columns + [
            'fct_funnel.won_amount_reporting',
            'int_marketing_entity_payments.collected_amount_reporting',
        ]) }}) as touches_signature

    from int_attribution_touches
    left join fct_funnel
        on int_attribution_touches.funnel_entity_type = fct_funnel.funnel_entity_type
        and int_attribution_touches.funnel_entity_id = fct_funnel.funnel_entity_id
    left join int_marketing_entity_payments
        on int_attribution_touches.funnel_entity_type = int_marketing_entity_payments.funnel_entity_type
        and int_attribution_touches.funnel_entity_id = int_marketing_entity_payments.funnel_entity_id
    group by int_attribution_touches.funnel_entity_id

),

sign_credited_touches as (

    {{ entity_signatures(
        this, 'funnel_entity_id',
        credited_touch_columns + ['won_amount_reporting', 'collected_amount_reporting'],
        'touch_rows', 'touches_signature', where="attribution_model = 'linear'"
    ) }}

),

list_current_last_non_direct_touches as (

    select
        funnel_entity_id,
        stage_key,
        touchpoint_id

    from int_attribution_touches
    where is_last_non_direct_touch

),

list_credited_last_non_direct_touches as (

    select
        funnel_entity_id,
        stage_key,
        touchpoint_id

    from {{ this }}
    where attribution_model = 'last_non_direct_touch'

),

find_changed_entities as (

    {{ keys_of_differing_rows(
        'sign_current_touches', 'sign_credited_touches', 'funnel_entity_id', 'changed_entity_id'
    ) }}

    union

    {{ keys_of_differing_rows(
        'list_current_last_non_direct_touches', 'list_credited_last_non_direct_touches',
        'funnel_entity_id', 'changed_entity_id'
    ) }}

),

{% endif -%}
select_touches as (

    select * from int_attribution_touches
    {%- if is_incremental() %}
    where funnel_entity_id in (select changed.changed_entity_id from find_changed_entities as changed)
    {%- endif %}

),

credit_touches as (

    {% for attribution_model in attribution_models() -%}
    {%- if attribution_model not in credit_rules -%}
        {{ exceptions.raise_compiler_error("no credit rule for attribution model " ~ attribution_model) }}
    {%- endif -%}
    select
        select_touches.*,
        '{{ attribution_model }}' as attribution_model,
        cast({{ credit_rules[attribution_model][1] }} as {{ credit_type }}) as credit
    from select_touches
    where {{ credit_rules[attribution_model][0] }}
    {% if not loop.last %}
    union all

    {% endif -%}
    {%- endfor %}

),

join_entity_revenue as (

    select

        ----------  ids
        {{ surrogate_key([
            'credit_touches.funnel_entity_type',
            'credit_touches.funnel_entity_id',
            'credit_touches.stage_key',
            'credit_touches.attribution_model',
            'credit_touches.touchpoint_id',
        ]) }} as attribution_credit_id,
        credit_touches.funnel_entity_type,
        {{ 'find_changed_entities.changed_entity_id' if is_incremental() else 'credit_touches.funnel_entity_id' }}
            as funnel_entity_id,
        credit_touches.touchpoint_id,

        ---------- text
        credit_touches.stage_key,
        credit_touches.attribution_model,
        credit_touches.channel,
        credit_touches.touch_source,
        credit_touches.touch_medium,
        credit_touches.touch_campaign,
        credit_touches.keyword,
        credit_touches.touch_type,

        ---------- numerics
        credit_touches.stage_order,
        credit_touches.touch_position,
        credit_touches.touch_count,
        cast(credit_touches.credit as {{ published_credit_type }}) as credit,
        fct_funnel.won_amount_reporting,
        cast(
            {{ multiply_amount_by_credit('fct_funnel.won_amount_reporting', 'credit_touches.credit') }}
            as decimal(38, 9)
        ) as credited_won_amount,
        int_marketing_entity_payments.collected_amount_reporting,
        cast(
            {{ multiply_amount_by_credit('int_marketing_entity_payments.collected_amount_reporting', 'credit_touches.credit') }}
            as decimal(38, 9)
        ) as credited_collected_amount,

        ---------- booleans
        credit_touches.is_direct,

        ---------- dates
        {{ to_reporting_date('credit_touches.reached_at') }} as milestone_date,
        cast({{ dbt.date_trunc('month', to_reporting_date('credit_touches.reached_at')) }} as date)
            as milestone_month,

        ---------- timestamps
        credit_touches.occurred_at,
        credit_touches.reached_at

    {#- A changed entity without any row left gets one row with a null touchpoint_id: the
        replace_entities strategy deletes its old rows and inserts none. #}
    {%- if is_incremental() %}
    from find_changed_entities
    left join credit_touches
        on find_changed_entities.changed_entity_id = credit_touches.funnel_entity_id
    {%- else %}
    from credit_touches
    {%- endif %}
    left join fct_funnel
        on credit_touches.funnel_entity_type = fct_funnel.funnel_entity_type
        and credit_touches.funnel_entity_id = fct_funnel.funnel_entity_id
    left join int_marketing_entity_payments
        on credit_touches.funnel_entity_type = int_marketing_entity_payments.funnel_entity_type
        and credit_touches.funnel_entity_id = int_marketing_entity_payments.funnel_entity_id

)

select * from join_entity_revenue
