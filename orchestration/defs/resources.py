"""Dagster resources: where the build reads and writes, and the dbt CLI."""

from __future__ import annotations

import dagster as dg

from orchestration import settings
from orchestration.dbt_project import dbt_executable, dbt_project
from orchestration.defs.dbt_cli import FunnelDbtCliResource
from orchestration.engines.targets import normalize_target, target_from_environment


class WarehousePaths(dg.ConfigurableResource):
    """Where the landed files are and which DuckDB file the build writes.

    The definitions take the defaults from the environment (``FUNNEL_LANDING_DIR``,
    ``FUNNEL_WAREHOUSE``, ``FUNNEL_SERVING_DIR``); a run can set all three in its run config
    (``resources: paths: config: ...``), as ``funnel build`` does.
    """

    landing_dir: str
    warehouse: str
    serving_dir: str

    @classmethod
    def from_environment(cls) -> WarehousePaths:
        return cls(
            landing_dir=str(settings.landing_dir()),
            warehouse=str(settings.warehouse_path()),
            serving_dir=str(settings.serving_dir()),
        )


class Engine(dg.ConfigurableResource):
    """Which dbt target (engine) the models are built on: ``duckdb`` (default), ``postgres``
    or ``spark`` (issue 15). The default comes from ``FUNNEL_TARGET``; a run can set it in its
    run config (``resources: engine: config: target: postgres``), as ``funnel build --target``
    does. Ingestion always writes DuckDB raw; another engine gets raw handed over first."""

    target: str = "duckdb"

    @classmethod
    def from_environment(cls) -> Engine:
        return cls(target=target_from_environment())

    @property
    def name(self) -> str:
        """The canonical target name (``local`` reads as ``duckdb``)."""
        return normalize_target(self.target)


def build_resources() -> dict[str, object]:
    return {
        "paths": WarehousePaths.from_environment(),
        "engine": Engine.from_environment(),
        "dbt": FunnelDbtCliResource(project_dir=dbt_project(), dbt_executable=dbt_executable()),
    }
