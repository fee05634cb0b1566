{#- The stage_keys of the ordered funnel stages in seeds/funnel_stages.csv (stage_order set;
    `lost` has none), in stage_order. Read from the built seed when dbt executes, so generic
    tests follow the configured order; an empty list while dbt only parses. -#}
{% macro funnel_ordered_stage_keys(stages_relation=none) -%}
    {%- set stages_relation = stages_relation if stages_relation is not none else ref('funnel_stages') -%}
    {%- if not execute -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set stages = run_query(
        'select stage_key from ' ~ stages_relation ~ ' where stage_order is not null order by stage_order'
    ) -%}
    {{ return(stages.columns[0].values() | list) }}
{%- endmacro %}
