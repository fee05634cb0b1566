"""Dagster assets: landing -> raw ingestion, the dbt project, the serving file, the report."""

from pathlib import Path

import dagster as dg

from orchestration.defs.assets.dbt import funnel_dbt_assets
from orchestration.defs.assets.ingestion import raw_assets
from orchestration.defs.assets.report import funnel_report_asset
from orchestration.defs.assets.serving import serving_file_asset


def all_assets(manifest_path: Path | None = None) -> list[dg.AssetsDefinition]:
    """Every asset of the project, in the order the graph reads: raw, dbt, serving, report
    (the dbt assets of ``manifest_path``, default target/manifest.json)."""
    return [
        *raw_assets,
        funnel_dbt_assets(manifest_path),
        serving_file_asset(manifest_path),
        funnel_report_asset(),
    ]
