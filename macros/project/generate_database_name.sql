{#-
    On DuckDB the marts live in their own file, attached by profiles.yml as `marts_db` (in
    DuckDB's storage v1.0.0, so publishing copies it whole); a model configured with a database
    (`+database` in dbt_project.yml) is built there. On PostgreSQL and Spark every model stays
    in the target's database (dbt-spark refuses any other).
-#}
{% macro generate_database_name(custom_database_name=none, node=none) -%}
    {%- if custom_database_name is none or target.type != 'duckdb' -%}
        {{ target.database }}
    {%- else -%}
        {{ custom_database_name | trim }}
    {%- endif -%}
{%- endmacro %}
