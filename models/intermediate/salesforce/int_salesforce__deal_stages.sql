{#- Every Salesforce opportunity stage label seen (in OpportunityStage, Opportunity,
    OpportunityHistory and OpportunityFieldHistory) with its funnel stage. The CRM's own stage
    dictionary decides the outcome: a stage with IsWon is the won stage of seeds/funnel_stages,
    one with IsClosed and not IsWon the lost stage; an open stage is mapped to its funnel key by
    seeds/crm_stage_labels.csv (source_system salesforce, by MasterLabel or API name), and
    stays unmapped (is_stage_mapped = false, the all_stage_labels_mapped test names it) when the
    seed lacks it. A label the dictionary lacks (or no dictionary landed at all) is mapped by the
    seed alone and flagged is_in_dictionary = false. -#}

with

stg_salesforce__opportunity_stages as (

    select * from {{ ref('stg_salesforce__opportunity_stages') }}

),

stg_salesforce__opportunity_versions as (

    select * from {{ ref('stg_salesforce__opportunity_versions') }}

),

stg_salesforce__opportunity_history as (

    select * from {{ ref('stg_salesforce__opportunity_history') }}

),

stg_salesforce__opportunity_field_history as (

    select * from {{ ref('stg_salesforce__opportunity_field_history') }}

),

funnel_stages as (

    select * from {{ ref('funnel_stages') }}

),

find_outcome_keys as (

    select
        max(case when is_won then stage_key end) as won_stage_key,
        max(case when is_terminal and not is_won then stage_key end) as lost_stage_key

    from funnel_stages
    where entity_type = 'deal'

),

list_labels as (

    select stage_label from stg_salesforce__opportunity_stages
    union
    select stage_label from stg_salesforce__opportunity_versions
    where stage_label is not null
    union
    select stage_label from stg_salesforce__opportunity_history
    where stage_label is not null
    union
    select new_value from stg_salesforce__opportunity_field_history
    where is_stage_change and new_value is not null

),

rank_dictionary_matches as (

    select
        list_labels.stage_label,
        stg_salesforce__opportunity_stages.stage_label as dictionary_label,
        stg_salesforce__opportunity_stages.sort_order,
        stg_salesforce__opportunity_stages.default_probability,
        stg_salesforce__opportunity_stages.is_closed,
        stg_salesforce__opportunity_stages.is_won,
        row_number() over (
            partition by list_labels.stage_label
            order by case
                when {{ normalize_label('stg_salesforce__opportunity_stages.stage_label') }}
                    = {{ normalize_label('list_labels.stage_label') }} then 0
                else 1
            end
        ) as match_rank

    from list_labels
    left join stg_salesforce__opportunity_stages
        on {{ normalize_label('list_labels.stage_label') }}
        in (
            {{ normalize_label('stg_salesforce__opportunity_stages.stage_label') }},
            {{ normalize_label('stg_salesforce__opportunity_stages.api_name') }}
        )

),

join_dictionary as (

    select
        stage_label,
        'salesforce' as source_system,
        sort_order,
        default_probability,
        coalesce(is_closed, false) as is_closed,
        coalesce(is_won, false) as is_won,
        dictionary_label is not null as is_in_dictionary

    from rank_dictionary_matches
    where match_rank = 1

),

map_labels as (

    {{ map_stage_labels('join_dictionary', 'deal') }}

),

apply_outcomes as (

    select
        map_labels.stage_label,
        map_labels.source_system,
        map_labels.sort_order,
        map_labels.default_probability,
        map_labels.is_closed,
        map_labels.is_won,
        map_labels.is_in_dictionary,
        case
            when map_labels.is_won then find_outcome_keys.won_stage_key
            when map_labels.is_closed then find_outcome_keys.lost_stage_key
            else map_labels.stage_key
        end as stage_key

    from map_labels
    cross join find_outcome_keys

)

select
    *,
    stage_key is not null as is_stage_mapped

from apply_outcomes
