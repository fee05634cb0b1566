{#- The lead attributes the scoring rules of seeds/lead_scoring_rules.csv can read, one row
    per lead and attribute (long form), so the rules are evaluated generically. Text values
    are lowercased and trimmed; numeric attributes also carry number_value. -#}
{%- set text_attributes = {
    'industry': 'stg_crm__leads.industry',
    'job_title': 'stg_crm__leads.job_title',
    'country': 'stg_crm__leads.country',
    'email_domain': 'stg_crm__leads.email_domain',
    'channel': 'int_funnel_entities.channel',
    'conversion_touch_type': 'summarise_capture_touches.conversion_touch_type',
} -%}
{%- set numeric_attributes = {
    'company_size': 'stg_crm__leads.company_size',
    'touch_count': 'coalesce(summarise_capture_touches.touch_count, 0)',
} -%}
{%- set boolean_attributes = {
    'has_phone': 'stg_crm__leads.has_phone',
} -%}

with

stg_crm__leads as (

    select * from {{ ref('int_conformed__leads') }}

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
        {%- for attribute, expression in text_attributes.items() %}
        {{ expression }} as {{ attribute }},
        {%- endfor %}
        {%- for attribute, expression in numeric_attributes.items() %}
        {{ expression }} as {{ attribute }},
        {%- endfor %}
        {%- for attribute, expression in boolean_attributes.items() %}
        {{ expression }} as {{ attribute }},
        {%- endfor %}
        stg_crm__leads.lead_id

    from stg_crm__leads
    left join int_funnel_entities
        on int_funnel_entities.funnel_entity_type = 'lead'
        and stg_crm__leads.lead_id = int_funnel_entities.funnel_entity_id
    left join summarise_capture_touches
        on stg_crm__leads.lead_id = summarise_capture_touches.lead_id

),

unpivot_attributes as (

    {% for attribute in text_attributes -%}
    select
        lead_id,
        '{{ attribute }}' as attribute,
        {{ normalize_text(attribute) }} as text_value,
        cast(null as {{ dbt.type_numeric() }}) as number_value
    from join_lead_attributes

    union all

    {% endfor -%}
    {% for attribute in numeric_attributes -%}
    select
        lead_id,
        '{{ attribute }}' as attribute,
        cast({{ attribute }} as {{ dbt.type_string() }}) as text_value,
        cast({{ attribute }} as {{ dbt.type_numeric() }}) as number_value
    from join_lead_attributes

    union all

    {% endfor -%}
    {% for attribute in boolean_attributes -%}
    select
        lead_id,
        '{{ attribute }}' as attribute,
        case when {{ attribute }} then 'true' when not {{ attribute }} then 'false' end as text_value,
        cast(null as {{ dbt.type_numeric() }}) as number_value
    from join_lead_attributes
    {% if not loop.last %}
    union all

    {% endif -%}
    {%- endfor %}

)

select * from unpivot_attributes
