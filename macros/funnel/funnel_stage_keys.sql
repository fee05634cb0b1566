{#- The stage_keys of the ordered funnel stages, in stage_order: var('funnel_stage_keys'), the
    one place the list is written besides seeds/funnel_stages.csv (the data test
    assert_funnel_stage_keys_match_seed checks they agree). Use it where SQL needs the stages
    when it compiles, e.g. for one column per stage. -#}
{% macro funnel_stage_keys() -%}
    {%- set stage_keys = var('funnel_stage_keys') -%}
    {%- if stage_keys is string or stage_keys | length == 0 -%}
        {{ exceptions.raise_compiler_error("var('funnel_stage_keys') must be a non-empty list of stage keys") }}
    {%- endif -%}
    {{ return(stage_keys | map('lower') | list) }}
{%- endmacro %}
