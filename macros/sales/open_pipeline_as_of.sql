{#- The open pipeline as it stood at the start of day D (in the reporting time zone, before
    any change made on D): one row per deal whose version standing then was open (its stage is
    configured and not terminal) and not deleted, with the amount in the reporting currency at
    D's rate and weighted by the stage's win_probability. Use it as a relation:

        select owner_id, sum(amount_reporting)
        from {{ open_pipeline_as_of("cast('2025-07-01' as date)") }} as pipeline
        group by owner_id

    as_of_day: a SQL date expression (a literal or a scalar). deal_versions / fx_rates: the
    relations to read, fct_deal_versions and stg_finance__fx_rates unless given. For a series
    of days, join fct_deal_versions on the condition deal_version_standing_on(day, alias). -#}
{% macro open_pipeline_as_of(as_of_day, deal_versions=none, fx_rates=none) -%}
    {%- set deal_versions = deal_versions if deal_versions is not none else ref('fct_deal_versions') -%}
    {%- set fx_rates = fx_rates if fx_rates is not none else ref('int_conformed__fx_rates') -%}
    (
        select
            cast({{ as_of_day }} as date) as as_of_date,
            pipeline_versions.deal_version_id,
            pipeline_versions.deal_id,
            pipeline_versions.lead_id,
            pipeline_versions.owner_id,
            pipeline_versions.stage_key,
            pipeline_versions.stage_order,
            pipeline_versions.win_probability,
            pipeline_versions.currency,
            pipeline_versions.amount,
            pipeline_fx_rates.rate_to_reporting as fx_rate,
            {{ to_reporting_currency(
                'pipeline_versions.amount', 'pipeline_versions.currency', 'pipeline_fx_rates.rate_to_reporting'
            ) }} as amount_reporting,
            {{ to_reporting_currency(
                'pipeline_versions.amount', 'pipeline_versions.currency', 'pipeline_fx_rates.rate_to_reporting'
            ) }} * pipeline_versions.win_probability as weighted_amount_reporting,
            pipeline_versions.expected_close_date,
            pipeline_versions.valid_from,
            pipeline_versions.valid_to

        from {{ deal_versions }} as pipeline_versions
        left join {{ fx_rates }} as pipeline_fx_rates
            on pipeline_versions.currency = pipeline_fx_rates.currency
            and pipeline_fx_rates.rate_date = cast({{ as_of_day }} as date)
        where {{ deal_version_standing_on(as_of_day, 'pipeline_versions') }}
            and not pipeline_versions.is_deleted
            and pipeline_versions.is_open_stage
    )
{%- endmacro %}


{#- True for the deal version that stood at the start of day D (reporting time zone): it
    began before D and had not been replaced before D. Exactly one version per deal is
    standing on any day from the day after the deal was created. versions_alias: the alias
    (or relation name) of fct_deal_versions / int_deal_versions in the query. -#}
{% macro deal_version_standing_on(as_of_day, versions_alias) -%}
    (
        {{ versions_alias }}.valid_from_date < cast({{ as_of_day }} as date)
        and (
            {{ versions_alias }}.valid_to_date is null
            or {{ versions_alias }}.valid_to_date >= cast({{ as_of_day }} as date)
        )
    )
{%- endmacro %}


{#- True for a deal version that counts as pipeline expected to close in a period: its stage is
    open (configured, not terminal), the deal is not deleted, and its expected_close_date falls
    between period_start and period_end (inclusive). Combine it with
    deal_version_standing_on(period_start, ...) to read the pipeline as it stood at the start. -#}
{% macro deal_version_expected_to_close_in(period_start, period_end, versions_alias) -%}
    (
        {{ versions_alias }}.is_open_stage
        and not {{ versions_alias }}.is_deleted
        and {{ versions_alias }}.expected_close_date >= {{ period_start }}
        and {{ versions_alias }}.expected_close_date <= {{ period_end }}
    )
{%- endmacro %}
