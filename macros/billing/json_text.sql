{#- The text value of a top-level key of a JSON object held in a text column (Stripe's
    metadata), null when the key is absent or the text is not a JSON object. DuckDB's
    json_extract_string; the PostgreSQL / Spark port (issue 15) gives it a dispatch. -#}
{% macro json_text(json_column, key) -%}
    json_extract_string(try_cast({{ json_column }} as json), '$."' || {{ key }} || '"')
{%- endmacro %}
