{#- The attribution models every credit, mart and test of the marketing domain knows, in
    display order. Each is implemented in fct_attribution_credits. -#}
{% macro attribution_models() -%}
    {{ return(['first_touch', 'last_touch', 'last_non_direct_touch', 'linear', 'position_based']) }}
{%- endmacro %}


{#- The attribution model whose credits marketing_efficiency_by_month uses for attributed
    revenue, ROI and incremental ROMI: var('roi_attribution_model'), default position_based.
    Fails the compilation when the var names no known model. -#}
{% macro roi_attribution_model() -%}
    {%- set model = var('roi_attribution_model', 'position_based') | trim | lower -%}
    {%- if model not in attribution_models() -%}
        {{ exceptions.raise_compiler_error(
            "var('roi_attribution_model') = '" ~ model ~ "' is not one of " ~ attribution_models() | join(', ')
        ) }}
    {%- endif -%}
    {{ return(model) }}
{%- endmacro %}


{#- The channel (seeds/channel_mapping.csv) whose touches the last non-direct touch model skips:
    var('attribution_direct_channel'), default direct. -#}
{% macro attribution_direct_channel() -%}
    {{ return(var('attribution_direct_channel', 'direct') | trim | lower) }}
{%- endmacro %}


{#- The funnel stages whose milestones marketing_efficiency_by_month counts per month:
    var('marketing_counted_stage_keys'), in funnel order. Fails the compilation when it names
    a stage that is not in funnel_stage_keys(). -#}
{% macro marketing_counted_stage_keys() -%}
    {%- set counted = var('marketing_counted_stage_keys') | map('lower') | list -%}
    {%- for stage_key in counted if stage_key not in funnel_stage_keys() -%}
        {{ exceptions.raise_compiler_error(
            "var('marketing_counted_stage_keys') names '" ~ stage_key ~ "', which is not in var('funnel_stage_keys')"
        ) }}
    {%- endfor -%}
    {{ return(funnel_stage_keys() | select('in', counted) | list) }}
{%- endmacro %}


{#- The lead attributes the scoring rules of seeds/lead_scoring_rules.csv can read, with their
    kind: 'text' (compared lowercased and trimmed), 'number' (also compared as a number) or
    'boolean' (read by is_true / is_false). int_marketing_lead_attributes has one column per
    attribute; int_marketing_lead_rule_matches evaluates the rules over them. -#}
{% macro lead_scoring_attributes() -%}
    {{ return({
        'industry': 'text',
        'job_title': 'text',
        'country': 'text',
        'email_domain': 'text',
        'channel': 'text',
        'conversion_touch_type': 'text',
        'company_size': 'number',
        'touch_count': 'number',
        'has_phone': 'boolean',
    }) }}
{%- endmacro %}
