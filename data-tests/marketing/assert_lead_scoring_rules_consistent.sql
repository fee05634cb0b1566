-- Rows of seeds/lead_scoring_rules.csv that share a rule_id are alternatives of one rule: they
-- must have the same attribute, operator and points, or the points a lead gets would depend on
-- which row matched. Returns the inconsistent rule_ids.

with

lead_scoring_rules as (

    select * from {{ ref('lead_scoring_rules') }}

),

find_inconsistent_rules as (

    select
        rule_id,
        count(distinct lower(trim(attribute))) as attribute_count,
        count(distinct lower(trim(operator))) as operator_count,
        count(distinct points) as points_count

    from lead_scoring_rules
    group by rule_id
    having count(distinct lower(trim(attribute))) > 1
        or count(distinct lower(trim(operator))) > 1
        or count(distinct points) > 1

)

select * from find_inconsistent_rules
