"""Dagster resources."""

from __future__ import annotations

import dagster as dg

from orchestration import settings


class WarehousePaths(dg.ConfigurableResource):
    """Where the landed files are and which DuckDB file the build writes."""

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
