{#- Select every column of relation plus channel, mapped through the channel_mapping seed
    (source, medium, channel; '*' matches any value, including an empty one). Values are
    compared lowercased and trimmed. When several rows match, the most specific wins: exact
    source + medium, then source + '*', then '*' + medium, then '*' + '*'; within one level the
    alphabetically first channel. No match at all gives a null channel. One output row per
    input row: each level is an equality (hash) join on rules reduced to one row per pattern,
    so the cost is four hash lookups per row, not a comparison with every rule. -#}
{% macro map_channel(relation, source_column='source', medium_column='medium') -%}
    {%- set row_source = "lower(trim(" ~ relation ~ "." ~ source_column ~ "))" -%}
    {%- set row_medium = "lower(trim(" ~ relation ~ "." ~ medium_column ~ "))" -%}
    {%- set rules -%}
        (
            select
                lower(trim(source)) as source_pattern,
                lower(trim(medium)) as medium_pattern,
                lower(trim(channel)) as channel
            from {{ ref('channel_mapping') }}
        )
    {%- endset -%}
    select
        {{ relation }}.*,
        coalesce(
            exact_rules.channel, source_rules.channel, medium_rules.channel, fallback_rule.channel
        ) as channel
    from {{ relation }}
    left join (
        select source_pattern, medium_pattern, min(channel) as channel
        from {{ rules }} as channel_rules
        where source_pattern <> '*' and medium_pattern <> '*'
        group by source_pattern, medium_pattern
    ) as exact_rules
        on exact_rules.source_pattern = {{ row_source }}
        and exact_rules.medium_pattern = {{ row_medium }}
    left join (
        select source_pattern, min(channel) as channel
        from {{ rules }} as channel_rules
        where source_pattern <> '*' and medium_pattern = '*'
        group by source_pattern
    ) as source_rules
        on source_rules.source_pattern = {{ row_source }}
    left join (
        select medium_pattern, min(channel) as channel
        from {{ rules }} as channel_rules
        where source_pattern = '*' and medium_pattern <> '*'
        group by medium_pattern
    ) as medium_rules
        on medium_rules.medium_pattern = {{ row_medium }}
    cross join (
        select min(channel) as channel
        from {{ rules }} as channel_rules
        where source_pattern = '*' and medium_pattern = '*'
    ) as fallback_rule
{%- endmacro %}
