{#- The plausible-date window (issue 12): a date or timestamp outside it is not a real date of
    this business (1970-01-01 is what many CRMs export for a missing date; 2999 or 0001 are
    typing errors). Such rows stay in raw and staging, are listed by int_implausible_dates
    (with the data test no_implausible_dates naming each), and are left out where staging is
    first read in intermediate, so no period mart's calendar reaches back to 1970 or forward
    to 2999 because of one row. -#}


{#- First plausible day, as a date: var('plausible_date_from'), default 2000-01-01. -#}
{% macro plausible_date_from() -%}
    {%- set configured = var('plausible_date_from', '2000-01-01') | string | trim -%}
    {%- if configured in ('', 'none', 'None', 'null') -%}
        {%- set configured = '2000-01-01' -%}
    {%- endif -%}
    cast('{{ configured }}' as date)
{%- endmacro %}


{#- Last plausible day (inclusive), as a date: var('plausible_date_to') when set, else one
    year after the build's "today" (as_of_date()). -#}
{% macro plausible_date_to() -%}
    {%- set configured = var('plausible_date_to', '') | string | trim -%}
    {%- if configured in ('', 'none', 'None', 'null') -%}
        cast({{ dbt.dateadd('year', 1, as_of_date()) }} as date)
    {%- else -%}
        cast('{{ configured }}' as date)
    {%- endif -%}
{%- endmacro %}


{#- True when a date or timestamp expression is null or falls inside the window (by its UTC
    date); false when it lies outside. -#}
{% macro is_plausible_date(date_expression) -%}
    (
        {{ date_expression }} is null
        or cast({{ date_expression }} as date) between {{ plausible_date_from() }} and {{ plausible_date_to() }}
    )
{%- endmacro %}


{#- The date and timestamp columns of every entity that reaches intermediate, each with the
    model that holds its rows and a readable key of a row. The one list of which dates the
    window checks: within_plausible_dates (the filter) and int_implausible_dates (the flag)
    both read it. A native source joins through the conform models, so it is covered here. -#}
{% macro plausible_date_entities() -%}
    {%- set text = dbt.type_string() -%}
    {{ return({
        'leads': {
            'model': 'int_conformed__leads',
            'key': 'lead_id',
            'columns': ['created_at', 'updated_at'],
        },
        'lead_status_changes': {
            'model': 'int_conformed__lead_status_changes',
            'key': dbt.concat(['lead_id', "' '", 'status_label']),
            'columns': ['changed_at'],
        },
        'deals': {
            'model': 'int_conformed__deals',
            'key': 'deal_id',
            'columns': ['created_at', 'updated_at', 'expected_close_date'],
        },
        'deal_versions': {
            'model': 'int_conformed__deal_versions',
            'key': dbt.concat(['deal_id', "' version '", 'cast(updated_at as ' ~ text ~ ')']),
            'columns': ['created_at', 'updated_at', 'expected_close_date'],
        },
        'deal_stage_changes': {
            'model': 'int_conformed__deal_stage_changes',
            'key': dbt.concat(['deal_id', "' '", 'stage_label']),
            'columns': ['changed_at'],
        },
        'quotas': {
            'model': 'int_conformed__quotas',
            'key': dbt.concat(['owner_id', "' from '", 'cast(period_start as ' ~ text ~ ')']),
            'columns': ['period_start', 'period_end'],
        },
        'fx_rates': {
            'model': 'int_conformed__fx_rates',
            'key': 'currency',
            'columns': ['rate_date'],
        },
        'touchpoints': {
            'model': 'stg_web__touchpoints',
            'key': 'touchpoint_id',
            'columns': ['occurred_at'],
        },
        'spend': {
            'model': 'int_conformed__spend',
            'key': dbt.concat([
                "coalesce(platform, '')", "'/'", "coalesce(campaign_id, '')", "'/'",
                "coalesce(ad_group, '')", "'/'", "coalesce(keyword, '')",
            ]),
            'columns': ['spend_date'],
        },
        'customers': {
            'model': 'int_conformed__customers',
            'key': 'customer_id',
            'columns': ['created_at'],
        },
        'invoices': {
            'model': 'int_conformed__invoices',
            'key': 'invoice_id',
            'columns': ['period_start', 'period_end', 'issued_at', 'paid_at', 'updated_at'],
        },
    }) }}
{%- endmacro %}


{#- The condition that keeps a row of an entity of plausible_date_entities(): every one of its
    checked dates is null or inside the window. Put it in the where clause of the import CTE
    that first reads the entity in intermediate:

        select * from {{ ref('stg_crm__deals') }}
        where {{ within_plausible_dates('deals') }}
-#}
{% macro within_plausible_dates(entity, relation_alias=none) -%}
    {%- set entities = plausible_date_entities() -%}
    {%- if entity not in entities -%}
        {{ exceptions.raise_compiler_error(
            "within_plausible_dates: unknown entity '" ~ entity ~ "'; one of " ~ (entities.keys() | sort | join(', '))
        ) }}
    {%- endif -%}
    {%- set prefix = relation_alias ~ '.' if relation_alias else '' -%}
    (
        {%- for column in entities[entity]['columns'] %}
        {{ is_plausible_date(prefix ~ column) }}{{ ' and' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
