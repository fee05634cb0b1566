{#- Incremental on DuckDB and PostgreSQL (replace_entities by lead, macros/versioning/): a
    night evaluates the rules for the leads whose rebuilt_at in int_marketing_lead_attributes
    (which rewrites exactly the leads whose attributes changed) differs from the
    attributes_rebuilt_at held here, both ways: new, changed and vanished leads. A lead's
    matches depend on its attributes and the seed lead_scoring_rules alone (a seed change
    rebuilds it whole: rule fingerprints, issue 17 item 2). A lead matching no rule has no row
    here, so it is evaluated again every night (0.5 % of the leads at L). On Spark a table
    (pitfall 23). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='replace_entities',
    unique_key='lead_id',
    entity_row_key='rule_id',
    on_schema_change='fail',
) }}

with

int_marketing_lead_attributes as (

    select * from {{ ref('int_marketing_lead_attributes') }}

),

lead_scoring_rules as (

    select * from {{ ref('lead_scoring_rules') }}

),

{% if is_incremental() -%}
find_changed_leads as (

    {{ leads_with_changed_attributes('int_marketing_lead_attributes') }}

),

{% endif -%}
select_changed_attributes as (

    select * from int_marketing_lead_attributes
    {%- if is_incremental() %}
    where lead_id in (select changed.changed_lead_id from find_changed_leads as changed)
    {%- endif %}

),

{# The attributes in long form (lead_id, attribute, text_value, number_value), not stored: one
    row per lead and known attribute, so every rule is evaluated by the same join. Text values
    are already normalised by int_marketing_lead_attributes; a null value matches no rule. -#}
unpivot_attributes as (

    {% for attribute, kind in lead_scoring_attributes().items() -%}
    select
        lead_id,
        '{{ attribute }}' as attribute,
        {%- if kind == 'text' %}
        {{ attribute }} as text_value,
        cast(null as {{ dbt.type_numeric() }}) as number_value
        {%- elif kind == 'number' %}
        cast({{ attribute }} as {{ dbt.type_string() }}) as text_value,
        cast({{ attribute }} as {{ dbt.type_numeric() }}) as number_value
        {%- else %}
        case when {{ attribute }} then 'true' when not {{ attribute }} then 'false' end as text_value,
        cast(null as {{ dbt.type_numeric() }}) as number_value
        {%- endif %}
    from select_changed_attributes
    where {{ attribute }} is not null
    {% if not loop.last %}
    union all

    {% endif -%}
    {%- endfor %}
),

prepare_rules as (

    select
        rule_id,
        lower(trim(attribute)) as attribute,
        lower(trim(operator)) as operator,
        {{ normalize_text('value') }} as text_value,
        case
            when lower(trim(operator)) in ('>=', '>', '<=', '<')
                then cast(trim(value) as {{ dbt.type_numeric() }})
        end as number_value,
        points

    from lead_scoring_rules

),

evaluate_rules as (

    select
        unpivot_attributes.lead_id,
        prepare_rules.rule_id,
        prepare_rules.points,
        case prepare_rules.operator
            when '=' then unpivot_attributes.text_value = prepare_rules.text_value
            when 'contains'
                then {{ dbt.position('prepare_rules.text_value', 'unpivot_attributes.text_value') }} > 0
            when '>=' then unpivot_attributes.number_value >= prepare_rules.number_value
            when '>' then unpivot_attributes.number_value > prepare_rules.number_value
            when '<=' then unpivot_attributes.number_value <= prepare_rules.number_value
            when '<' then unpivot_attributes.number_value < prepare_rules.number_value
            when 'is_true' then unpivot_attributes.text_value = 'true'
            when 'is_false' then unpivot_attributes.text_value = 'false'
        end as is_match

    from unpivot_attributes
    inner join prepare_rules
        on unpivot_attributes.attribute = prepare_rules.attribute

),

match_rules as (

    select
        lead_id,
        rule_id,
        max(points) as points

    from evaluate_rules
    where is_match
    group by lead_id, rule_id

),

{# The key is (lead_id, rule_id), not a surrogate column: nothing joins on one, and at L the md5
    of 3.4M matches and its 32-character text were a third of this model's time. In a night,
    every changed lead: one without any match keeps one row of nulls (a null rule_id), so the
    replace_entities strategy deletes its old rows and inserts none. #}
finalise as (

    select
        {%- if is_incremental() %}
        find_changed_leads.changed_lead_id as lead_id,
        {%- else %}
        select_changed_attributes.lead_id,
        {%- endif %}
        match_rules.rule_id,
        match_rules.points,
        select_changed_attributes.rebuilt_at as attributes_rebuilt_at

    {%- if is_incremental() %}
    from find_changed_leads
    left join select_changed_attributes
        on find_changed_leads.changed_lead_id = select_changed_attributes.lead_id
    left join match_rules
        on select_changed_attributes.lead_id = match_rules.lead_id
    {%- else %}
    from select_changed_attributes
    inner join match_rules
        on select_changed_attributes.lead_id = match_rules.lead_id
    {%- endif %}

)

select * from finalise
