"""The engines a build can run dbt on (issue 15): DuckDB (default), PostgreSQL and Spark.

Ingestion always loads DuckDB ``raw`` (one landing gate); for another engine the raw tables are
handed over (``handover``) before ``dbt build --target <engine>``.
"""
