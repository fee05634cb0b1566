"""Concurrency pools. DuckDB allows one writer process per file, so every asset that
writes the warehouse runs in this pool, whose limit is one (see orchestration/dagster.yaml)."""

WAREHOUSE_WRITER_POOL = "duckdb_warehouse_writer"
