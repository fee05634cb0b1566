{#- The systems of one of the list vars native_crm_systems, native_billing_systems and
    native_ad_platforms that have something to read tonight: the var's systems, in its order,
    without those of var('idle_native_systems') (comma-separated; `funnel build` sets it). -#}
{% macro active_native_systems(var_name) -%}
    {%- set systems = var(var_name) -%}
    {#- the linter's stand-in for var() is a string: leave it as it is -#}
    {%- if systems is string -%}
        {{ return(systems) }}
    {%- endif -%}
    {%- set idle = var('idle_native_systems', '').split(',') -%}
    {{ return(systems | reject('in', idle) | list) }}
{%- endmacro %}
