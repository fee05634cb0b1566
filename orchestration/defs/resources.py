"""Dagster resources: where the build reads and writes, and the dbt CLI."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration import settings
from orchestration.dbt_project import dbt_executable, dbt_project


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


def build_resources() -> dict[str, object]:
    return {
        "paths": WarehousePaths.from_environment(),
        "dbt": DbtCliResource(project_dir=dbt_project(), dbt_executable=dbt_executable()),
    }
