{#- Fails with every spell that breaks its entity's timeline, with the problem named:
    'exits before it is entered', 'overlaps the next spell' (the next spell, in order_by,
    starts before this one exits, or this one never exits but is not the last), or
    'entity has N current spells' (every entity must have exactly one spell with a null
    exited_at). partition_by: the entity's key column(s); order_by: the spell order. -#}
{% test spells_form_one_timeline(model, partition_by, order_by='spell_sequence', entered_at_column='entered_at', exited_at_column='exited_at') %}

{%- set partition_by = [partition_by] if partition_by is string else partition_by %}
{%- set partition_csv = partition_by | join(', ') %}

with

order_spells as (

    select
        {{ partition_csv }},
        {{ order_by }} as spell_order,
        {{ entered_at_column }} as entered_at,
        {{ exited_at_column }} as exited_at,
        lead({{ entered_at_column }}) over (
            partition by {{ partition_csv }} order by {{ order_by }}
        ) as next_entered_at,
        lead({{ order_by }}) over (
            partition by {{ partition_csv }} order by {{ order_by }}
        ) as next_spell_order,
        sum(case when {{ exited_at_column }} is null then 1 else 0 end) over (
            partition by {{ partition_csv }}
        ) as current_spell_count

    from {{ model }}

),

find_problems as (

    select
        order_spells.*,
        case
            when exited_at < entered_at then 'exits before it is entered'
            when exited_at is null and next_spell_order is not null then 'overlaps the next spell'
            when next_entered_at < exited_at then 'overlaps the next spell'
            when current_spell_count <> 1
                then 'entity has ' || cast(current_spell_count as {{ dbt.type_string() }}) || ' current spells'
        end as problem

    from order_spells

)

select * from find_problems
where problem is not null

{% endtest %}
