{#- One row per lead of int_marketing_lead_attributes: the points of the rules it matches
    (int_marketing_lead_rule_matches) summed, how many, and which; lead_scores adds the band and
    the lead's outcome. Incremental on DuckDB and PostgreSQL (replace_entities by lead,
    macros/versioning/): a night sums the matches of the leads whose rebuilt_at in
    int_marketing_lead_attributes differs from the attributes_rebuilt_at held here, both ways:
    new, changed and vanished leads (their matches were evaluated again by
    int_marketing_lead_rule_matches in the same build; the models are in one chain, so a build
    that fails before this one leaves the old version here, and the next build catches up). The
    sorted rule list was the costliest step of lead_scores (0.9 of 2.0 s alone at L); a night
    now computes it for the changed leads only. Seed, var and SQL changes rebuild it whole
    (rule fingerprints, issue 17 item 2). On Spark a table (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_entities',
    unique_key='lead_id',
    entity_row_key='attributes_rebuilt_at',
    on_schema_change='fail',
) }}

with

int_marketing_lead_attributes as (

    select * from {{ ref('int_marketing_lead_attributes') }}

),

int_marketing_lead_rule_matches as (

    select * from {{ ref('int_marketing_lead_rule_matches') }}

),

{% if is_incremental() -%}
find_changed_leads as (

    {{ leads_with_changed_attributes('int_marketing_lead_attributes') }}

),

{% endif -%}
select_changed_matches as (

    select * from int_marketing_lead_rule_matches
    {%- if is_incremental() %}
    where lead_id in (select changed.changed_lead_id from find_changed_leads as changed)
    {%- endif %}

),

sum_points as (

    select
        lead_id,
        sum(points) as lead_score,
        count(*) as matched_rule_count,
        {{ sorted_listagg('rule_id', "', '") }} as matched_rules

    from select_changed_matches
    group by lead_id

),

{# In a night, every changed lead: a vanished one keeps one row of nulls (a null
    attributes_rebuilt_at), so the replace_entities strategy deletes its old row and inserts
    none. #}
finalise as (

    select
        {%- if is_incremental() %}
        find_changed_leads.changed_lead_id as lead_id,
        {%- else %}
        int_marketing_lead_attributes.lead_id,
        {%- endif %}
        coalesce(sum_points.lead_score, 0) as lead_score,
        coalesce(sum_points.matched_rule_count, 0) as matched_rule_count,
        sum_points.matched_rules,
        int_marketing_lead_attributes.rebuilt_at as attributes_rebuilt_at

    {%- if is_incremental() %}
    from find_changed_leads
    left join int_marketing_lead_attributes
        on find_changed_leads.changed_lead_id = int_marketing_lead_attributes.lead_id
    left join sum_points
        on int_marketing_lead_attributes.lead_id = sum_points.lead_id
    {%- else %}
    from int_marketing_lead_attributes
    left join sum_points
        on int_marketing_lead_attributes.lead_id = sum_points.lead_id
    {%- endif %}

)

select * from finalise
