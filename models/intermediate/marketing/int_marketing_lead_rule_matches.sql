with

int_marketing_lead_attributes as (

    select * from {{ ref('int_marketing_lead_attributes') }}

),

lead_scoring_rules as (

    select * from {{ ref('lead_scoring_rules') }}

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
        int_marketing_lead_attributes.lead_id,
        prepare_rules.rule_id,
        prepare_rules.points,
        case prepare_rules.operator
            when '=' then int_marketing_lead_attributes.text_value = prepare_rules.text_value
            when 'contains'
                then {{ dbt.position('prepare_rules.text_value', 'int_marketing_lead_attributes.text_value') }} > 0
            when '>=' then int_marketing_lead_attributes.number_value >= prepare_rules.number_value
            when '>' then int_marketing_lead_attributes.number_value > prepare_rules.number_value
            when '<=' then int_marketing_lead_attributes.number_value <= prepare_rules.number_value
            when '<' then int_marketing_lead_attributes.number_value < prepare_rules.number_value
            when 'is_true' then int_marketing_lead_attributes.text_value = 'true'
            when 'is_false' then int_marketing_lead_attributes.text_value = 'false'
        end as is_match

    from int_marketing_lead_attributes
    inner join prepare_rules
        on int_marketing_lead_attributes.attribute = prepare_rules.attribute

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

finalise as (

    select
        {{ surrogate_key(['lead_id', 'rule_id']) }} as lead_rule_match_id,
        lead_id,
        rule_id,
        points

    from match_rules

)

select * from finalise
