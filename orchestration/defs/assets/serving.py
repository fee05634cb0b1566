"""The serving file: published only after ingestion and every dbt test succeeded."""

import logging
from functools import cache
from pathlib import Path

import dagster as dg

from orchestration.dbt_project import dbt_project
from orchestration.defs.assets.dbt import funnel_dbt_assets, manifest_version
from orchestration.defs.pools import WAREHOUSE_WRITER_POOL
from orchestration.defs.resources import Engine, WarehousePaths
from orchestration.engines.serving import publish_on_engine
from orchestration.engines.targets import DUCKDB
from orchestration.publishing.serving_file import publish

progress_log = logging.getLogger("funnel.progress")


SERVING_FILE_KEY = dg.AssetKey(["serving", "funnel_duckdb"])


def serving_file_asset(manifest_path: Path | None = None) -> dg.AssetsDefinition:
    """The serving asset, downstream of every dbt asset of the manifest (so built with them;
    default: target/manifest.json's, as ``funnel_dbt_assets``)."""
    return _serving_file_asset_of(*manifest_version(manifest_path or dbt_project().manifest_path))


@cache
def _serving_file_asset_of(manifest_path: Path, _mtime_ns: int, _size: int) -> dg.AssetsDefinition:

    @dg.asset(
        key=SERVING_FILE_KEY,
        group_name="serving",
        deps=list(funnel_dbt_assets(manifest_path).keys),
        kinds={"duckdb"},
        pool=WAREHOUSE_WRITER_POOL,
        description="The published serving file (marts + docs) that analysts and BI tools open "
        "read-only. Built aside and swapped in atomically; never written when a step or dbt "
        "test upstream failed.",
    )
    def serving_file(
        context: dg.AssetExecutionContext, paths: WarehousePaths, engine: Engine
    ) -> dg.MaterializeResult:
        if engine.name != DUCKDB:  # issue 15: the marts live on that engine; no DuckDB file
            return publish_on_engine(engine.name, context.log.info, progress_log.info)
        publication = publish(
            Path(paths.warehouse),
            Path(paths.serving_dir),
            manifest_path=manifest_path,
            say=progress_log.info,
        )
        message = (
            f"published version {publication.version}: {len(publication.tables)} tables, "
            f"{publication.file_bytes / 1e6:,.1f} MB -> {publication.path}"
        )
        context.log.info(message)
        progress_log.info(message)
        return dg.MaterializeResult(
            metadata={
                "version": publication.version,
                "path": str(publication.path),
                "tables": len(publication.tables),
                "rows": sum(publication.tables.values()),
                "file_bytes": publication.file_bytes,
            }
        )

    return serving_file
