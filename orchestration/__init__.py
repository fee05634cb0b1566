"""Funnel warehouse orchestration: ingestion, dbt assets, CLI."""
