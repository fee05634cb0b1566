"""Dagster assets: landing -> raw ingestion, and the dbt project."""
