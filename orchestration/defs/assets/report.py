"""The HTML funnel report: rebuilt from the serving file after every publication."""

import logging
from functools import cache
from pathlib import Path

import dagster as dg

from orchestration.defs.assets.serving import SERVING_FILE_KEY
from orchestration.defs.resources import Engine, WarehousePaths
from orchestration.engines.targets import DUCKDB
from orchestration.report.build import build_report

progress_log = logging.getLogger("funnel.progress")


@cache
def funnel_report_asset() -> dg.AssetsDefinition:
    """The report asset, downstream of the serving file (so only after a green build)."""

    @dg.asset(
        key=["serving", "funnel_report"],
        group_name="serving",
        deps=[SERVING_FILE_KEY],
        kinds={"html"},
        description="The static HTML funnel report (<serving>/report/index.html) built from the "
        "published serving file: charts with Plotly's JavaScript inlined, filters for period, "
        "channel and owner. Not built when the serving file was not published.",
    )
    def funnel_report(
        context: dg.AssetExecutionContext, paths: WarehousePaths, engine: Engine
    ) -> dg.MaterializeResult:
        if engine.name != DUCKDB:  # issue 15: the report reads the DuckDB serving file only
            context.log.info(f"no report: the marts were built on {engine.name}")
            return dg.MaterializeResult(metadata={"skipped": f"marts on {engine.name}"})
        report = build_report(Path(paths.serving_dir))
        context.log.info(f"report {report.path} ({report.size_bytes:,} bytes)")
        return dg.MaterializeResult(
            metadata={
                "path": str(report.path),
                "serving_version": report.version,
                "bytes": report.size_bytes,
                "seconds": round(report.seconds, 2),
            }
        )

    return funnel_report
