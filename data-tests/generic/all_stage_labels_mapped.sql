{#- Fails when rows of the model carry a CRM label with no stage mapping (mapped_column is
    false). Returns one row per unmapped (source system, label) with how many rows carry it;
    when run by dbt test / build it also logs those labels, so the failure names them. Rows
    with an empty label are not counted (test the label with not_null for that). -#}
{% test all_stage_labels_mapped(model, column_name='stage_label', source_system_column='source_system', mapped_column='is_stage_mapped') %}

{%- set unmapped_sql -%}
    select
        {{ source_system_column }} as source_system,
        {{ column_name }} as unmapped_label,
        count(*) as row_count

    from {{ model }}
    where not {{ mapped_column }}
        and {{ column_name }} is not null
    group by {{ source_system_column }}, {{ column_name }}
{%- endset -%}

{#- model is a relation, or a subquery string when the test has a `where` config -#}
{%- if execute and flags.WHICH in ('test', 'build') and model.identifier is defined -%}
    {%- set relation = adapter.get_relation(model.database, model.schema, model.identifier) -%}
    {%- if relation is not none -%}
        {%- set unmapped = run_query(unmapped_sql ~ ' order by 1, 2') -%}
        {%- for row in unmapped.rows -%}
            {{ log(
                "Unmapped CRM label in " ~ model.identifier ~ "." ~ column_name ~ ": source_system="
                ~ row[0] ~ " label='" ~ row[1] ~ "' (" ~ row[2] ~ " rows). Map it in seeds/crm_stage_labels.csv.",
                info=true
            ) }}
        {%- endfor -%}
    {%- endif -%}
{%- endif %}

with

unmapped_labels as (

    {{ unmapped_sql }}

)

select * from unmapped_labels

{% endtest %}
