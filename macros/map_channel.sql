{#- Select every column of relation plus channel, mapped through the channel_mapping seed
    (source, medium, channel; '*' matches any value, including an empty one). Values are
    compared lowercased and trimmed. When several rows match, the most specific wins: exact
    source + medium, then source + '*', then '*' + medium, then '*' + '*'. No match at all
    gives a null channel. Also returns _channel_match_number (always 1): select the columns
    you need. partition_by: the relation's key column(s). -#}
{% macro map_channel(relation, partition_by, source_column='source', medium_column='medium') -%}
    {%- set partition_by = [partition_by] if partition_by is string else partition_by -%}
    {%- set row_source = "lower(trim(" ~ relation ~ "." ~ source_column ~ "))" -%}
    {%- set row_medium = "lower(trim(" ~ relation ~ "." ~ medium_column ~ "))" -%}
    select *
    from (
        select
            {{ relation }}.*,
            channel_rules.channel,
            row_number() over (
                partition by {% for column in partition_by %}{{ relation }}.{{ column }}{{ ", " if not loop.last }}{% endfor %}
                order by channel_rules.match_rank, channel_rules.channel
            ) as _channel_match_number
        from {{ relation }}
        left join (
            select
                lower(trim(source)) as source_pattern,
                lower(trim(medium)) as medium_pattern,
                lower(trim(channel)) as channel,
                case
                    when trim(source) <> '*' and trim(medium) <> '*' then 1
                    when trim(source) <> '*' then 2
                    when trim(medium) <> '*' then 3
                    else 4
                end as match_rank
            from {{ ref('channel_mapping') }}
        ) as channel_rules
            on (channel_rules.source_pattern = {{ row_source }} or channel_rules.source_pattern = '*')
            and (channel_rules.medium_pattern = {{ row_medium }} or channel_rules.medium_pattern = '*')
    ) as matched_channels
    where _channel_match_number = 1
{%- endmacro %}
