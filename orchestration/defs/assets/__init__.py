"""Dagster assets: landing -> raw ingestion, the dbt project, the serving file, the report."""

import dagster as dg

from orchestration.defs.assets.dbt import funnel_dbt_assets
from orchestration.defs.assets.ingestion import raw_assets
from orchestration.defs.assets.report import funnel_report_asset
from orchestration.defs.assets.serving import serving_file_asset


def all_assets() -> list[dg.AssetsDefinition]:
    """Every asset of the project, in the order the graph reads: raw, dbt, serving, report."""
    return [*raw_assets, funnel_dbt_assets(), serving_file_asset(), funnel_report_asset()]
