{#- One row per lead: its score (int_marketing_lead_points), band, the attributes the rules
    read, and its funnel outcome. Incremental on DuckDB and PostgreSQL (replace_entities by
    lead, macros/versioning/): every lead's row is computed each night (joins of one row per
    lead; the outcome columns follow fct_funnel, which is rebuilt every night), then compared
    with the rows here by lead (row_signature of every column of the table, both ways: a
    chance of about 2^-64 that a change goes unseen), and only the new, changed and vanished
    leads are replaced: writing every row was most of this model's time. Seed, var and SQL
    changes rebuild it whole (rule fingerprints, issue 17 item 2). On Spark a table
    (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_entities',
    unique_key='lead_id',
    entity_row_key='lead_score',
    on_schema_change='fail',
) }}

with

stg_crm__leads as (

    select * from {{ ref('int_conformed__leads') }}
    where {{ within_plausible_dates('leads') }}

),

int_marketing_lead_attributes as (

    select * from {{ ref('int_marketing_lead_attributes') }}

),

int_marketing_lead_points as (

    select * from {{ ref('int_marketing_lead_points') }}

),

fct_funnel as (

    select * from {{ ref('fct_funnel') }}

),

lead_score_bands as (

    select * from {{ ref('lead_score_bands') }}

),

score_leads as (

    select
        stg_crm__leads.lead_id,
        stg_crm__leads.created_at,
        coalesce(int_marketing_lead_points.lead_score, 0) as lead_score,
        coalesce(int_marketing_lead_points.matched_rule_count, 0) as matched_rule_count,
        int_marketing_lead_points.matched_rules

    from stg_crm__leads
    left join int_marketing_lead_points
        on stg_crm__leads.lead_id = int_marketing_lead_points.lead_id

),

assign_bands as (

    select
        score_leads.*,
        lead_score_bands.score_band,
        lead_score_bands.band_order

    from score_leads
    left join lead_score_bands
        on (lead_score_bands.min_score is null or score_leads.lead_score >= lead_score_bands.min_score)
        and (lead_score_bands.max_score is null or score_leads.lead_score < lead_score_bands.max_score)

),

add_outcomes as (

    select

        ----------  ids
        assign_bands.lead_id,

        ---------- text
        assign_bands.score_band,
        assign_bands.matched_rules,
        int_marketing_lead_attributes.channel,
        int_marketing_lead_attributes.conversion_touch_type,
        stg_crm__leads.industry,
        stg_crm__leads.job_title,
        stg_crm__leads.country,
        fct_funnel.furthest_stage_key,

        ---------- numerics
        assign_bands.lead_score,
        assign_bands.band_order,
        assign_bands.matched_rule_count,
        stg_crm__leads.company_size,
        cast(int_marketing_lead_attributes.touch_count as {{ dbt.type_int() }}) as touch_count,
        fct_funnel.won_amount_reporting,

        ---------- booleans
        stg_crm__leads.has_phone,
        fct_funnel.reached_mql_at is not null as has_reached_mql,
        fct_funnel.reached_sql_at is not null as has_reached_sql,
        fct_funnel.reached_opportunity_at is not null as has_reached_opportunity,
        fct_funnel.reached_won_at is not null as has_reached_won,
        coalesce(fct_funnel.is_won, false) as is_won,

        ---------- dates
        fct_funnel.cohort_month,

        ---------- timestamps
        assign_bands.created_at

    from assign_bands
    inner join stg_crm__leads
        on assign_bands.lead_id = stg_crm__leads.lead_id
    left join int_marketing_lead_attributes
        on assign_bands.lead_id = int_marketing_lead_attributes.lead_id
    left join fct_funnel
        on fct_funnel.funnel_entity_type = 'lead'
        and assign_bands.lead_id = fct_funnel.funnel_entity_id

),

{% if is_incremental() -%}
{#- Per lead: the row_signature of every column of the table here but the key (read from the
    table when the SQL runs, so a column added to add_outcomes but not here fails
    on_schema_change instead of going unsigned; while dbt parses, no column is read and the
    key stands in), computed now and held here; the leads whose signature differs. -#}
{%- set signed_columns = [] -%}
{%- if execute -%}
    {%- for column in adapter.get_columns_in_relation(this) if column.name | lower != 'lead_id' -%}
        {%- do signed_columns.append(column.name | lower) -%}
    {%- endfor -%}
{%- endif %}
sign_current_scores as (

    select
        lead_id,
        {{ row_signature(signed_columns or ['lead_id']) }} as score_signature

    from add_outcomes

),

sign_built_scores as (

    select
        lead_id,
        {{ row_signature(signed_columns or ['lead_id']) }} as score_signature

    from {{ this }}

),

find_changed_leads as (

    {{ keys_of_differing_rows('sign_current_scores', 'sign_built_scores', 'lead_id', 'changed_lead_id') }}

),

{% endif -%}
{#- In a night, every changed lead: a vanished one keeps one row of nulls (a null lead_score),
    so the replace_entities strategy deletes its old row and inserts none. -#}
cover_changed_leads as (

    {% if is_incremental() -%}
    select
        find_changed_leads.changed_lead_id as lead_id,
        {%- for column in signed_columns if column != 'lead_score' %}
        add_outcomes.{{ column }},
        {%- endfor %}
        add_outcomes.lead_score

    from find_changed_leads
    left join add_outcomes
        on find_changed_leads.changed_lead_id = add_outcomes.lead_id
    {%- else -%}
    select * from add_outcomes
    {%- endif %}

)

select * from cover_changed_leads
