{#- The lead attributes the scoring rules of seeds/lead_scoring_rules.csv can read, one row
    per lead and one column per attribute of lead_scoring_attributes(). Text values are
    lowercased and trimmed (null when empty); numbers and booleans keep their type.
    int_marketing_lead_rule_matches evaluates the rules generically over these columns.
    Incremental on DuckDB and PostgreSQL (replace_entities by lead, macros/versioning/): the
    attributes are computed for every lead each night (every input can change them: a lead's
    own row, its channel, its touches, the plausible-date window), then compared with the
    rows here by lead (row_signature of the attribute columns, both ways: a chance of about
    2^-64 that a change goes unseen); only the new, changed and vanished leads are replaced,
    and their rows are stamped rebuilt_at with this run's start. The scoring models after it
    recompute only the leads whose rebuilt_at differs from the one they hold. Seed, var and
    SQL changes rebuild it whole (rule fingerprints, issue 17 item 2). On Spark a table
    (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_entities',
    unique_key='lead_id',
    entity_row_key='rebuilt_at',
    on_schema_change='fail',
) }}
{%- set expressions = {
    'industry': 'stg_crm__leads.industry',
    'job_title': 'stg_crm__leads.job_title',
    'country': 'stg_crm__leads.country',
    'email_domain': 'stg_crm__leads.email_domain',
    'channel': 'int_funnel_entities.channel',
    'conversion_touch_type': 'summarise_capture_touches.conversion_touch_type',
    'company_size': 'stg_crm__leads.company_size',
    'touch_count': 'coalesce(summarise_capture_touches.touch_count, 0)',
    'has_phone': 'stg_crm__leads.has_phone',
} -%}
{%- for attribute in lead_scoring_attributes() if attribute not in expressions -%}
    {{ exceptions.raise_compiler_error(
        "int_marketing_lead_attributes has no expression for the scoring attribute '" ~ attribute ~ "'"
    ) }}
{%- endfor %}

with

stg_crm__leads as (

    select * from {{ ref('int_conformed__leads') }}
    where {{ within_plausible_dates('leads') }}

),

int_funnel_entities as (

    select * from {{ ref('int_funnel_entities') }}

),

int_attribution_touches as (

    select * from {{ ref('int_attribution_touches') }}

),

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

find_first_stage as (

    select min(stage_order) as first_stage_order

    from funnel_stages
    where stage_order is not null

),

{# Behaviour known when the lead was captured: its touches at or before it reached the
    first funnel stage. -#}
summarise_capture_touches as (

    select
        int_attribution_touches.funnel_entity_id as lead_id,
        count(*) as touch_count,
        max(case when int_attribution_touches.is_last_touch then int_attribution_touches.touch_type end)
            as conversion_touch_type

    from int_attribution_touches
    inner join find_first_stage
        on int_attribution_touches.stage_order = find_first_stage.first_stage_order
    where int_attribution_touches.funnel_entity_type = 'lead'
    group by int_attribution_touches.funnel_entity_id

),

join_lead_attributes as (

    select
        stg_crm__leads.lead_id,
        {%- for attribute, kind in lead_scoring_attributes().items() %}
        {%- if kind == 'text' %}
        {{ normalize_text(expressions[attribute]) }} as {{ attribute }}
        {%- else %}
        {{ expressions[attribute] }} as {{ attribute }}
        {%- endif %}
        {%- if not loop.last %},{% endif %}
        {%- endfor %}

    from stg_crm__leads
    left join int_funnel_entities
        on int_funnel_entities.funnel_entity_type = 'lead'
        and stg_crm__leads.lead_id = int_funnel_entities.funnel_entity_id
    left join summarise_capture_touches
        on stg_crm__leads.lead_id = summarise_capture_touches.lead_id

),

{% set attribute_columns = lead_scoring_attributes().keys() | list -%}
{% if is_incremental() -%}
{#- Per lead: the row_signature of its attributes, computed now and held here; the leads
    whose signature differs, both ways (new, changed and vanished leads). -#}
sign_current_attributes as (

    select
        lead_id,
        {{ row_signature(attribute_columns) }} as attributes_signature

    from join_lead_attributes

),

sign_built_attributes as (

    select
        lead_id,
        {{ row_signature(attribute_columns) }} as attributes_signature

    from {{ this }}

),

find_changed_leads as (

    {{ keys_of_differing_rows(
        'sign_current_attributes', 'sign_built_attributes', 'lead_id', 'changed_lead_id'
    ) }}

),

{% endif -%}
{#- In a night, every changed lead: a vanished one keeps one row of nulls (a null
    rebuilt_at), so the replace_entities strategy deletes its old row and inserts none. -#}
finalise as (

    select
        {%- if is_incremental() %}
        find_changed_leads.changed_lead_id as lead_id,
        {%- else %}
        join_lead_attributes.lead_id,
        {%- endif %}
        {%- for column in attribute_columns %}
        join_lead_attributes.{{ column }},
        {%- endfor %}
        case
            when join_lead_attributes.lead_id is not null
                then {{ rebuilt_at_stamp() }}
        end as rebuilt_at

    {%- if is_incremental() %}
    from find_changed_leads
    left join join_lead_attributes
        on find_changed_leads.changed_lead_id = join_lead_attributes.lead_id
    {%- else %}
    from join_lead_attributes
    {%- endif %}

)

select * from finalise
