{#- The text value of a top-level key of a JSON object held in a text column (Stripe's
    metadata), null when the key is absent, its value is JSON null, or the text is not a JSON
    object. A string value comes without its quotes; a number, boolean, object or array as its
    JSON text. Dispatched (namespace funnel_warehouse). -#}
{% macro json_text(json_column, key) -%}
    {{ return(adapter.dispatch('json_text', 'funnel_warehouse')(json_column, key)) }}
{%- endmacro %}

{#- SQL:2016 JSON_VALUE with a quoted member name (Oracle, SQL Server, MySQL 8, PostgreSQL 17+
    on valid JSON). -#}
{% macro default__json_text(json_column, key) -%}
    json_value({{ json_column }}, {{ dbt.concat(["'$.\"'", key, "'\"'"]) }})
{%- endmacro %}

{% macro duckdb__json_text(json_column, key) -%}
    json_extract_string(try_cast({{ json_column }} as json), '$."' || {{ key }} || '"')
{%- endmacro %}

{#- PostgreSQL 16+: the IS JSON OBJECT predicate guards the cast, so text that is not a JSON
    object gives null instead of an error. -#}
{% macro postgres__json_text(json_column, key) -%}
    case
        when {{ json_column }} is json object
            then cast({{ json_column }} as jsonb) ->> cast({{ key }} as text)
    end
{%- endmacro %}

{#- Spark: get_json_object gives null for text that is not JSON, or not an object; the key
    goes in the bracket form of the path, so any name works. -#}
{% macro spark__json_text(json_column, key) -%}
    get_json_object({{ json_column }}, concat('$[', chr(39), {{ key }}, chr(39), ']'))
{%- endmacro %}
