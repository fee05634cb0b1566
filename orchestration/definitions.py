"""The one Dagster ``Definitions`` of the project: ``dagster dev -m orchestration.definitions``."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.assets.dbt import funnel_dbt_assets
from orchestration.assets.ingestion import raw_assets
from orchestration.assets.serving import serving_file
from orchestration.dbt_project import dbt_executable, dbt_project
from orchestration.resources import WarehousePaths
from orchestration.schedules import landing_folder_sensor, nightly_build, nightly_schedule
from orchestration.settings import quiet_telemetry

quiet_telemetry()

all_assets: list[dg.AssetsDefinition] = [*raw_assets, funnel_dbt_assets, serving_file]


def build_resources() -> dict[str, object]:
    return {
        "paths": WarehousePaths.from_environment(),
        "dbt": DbtCliResource(project_dir=dbt_project, dbt_executable=dbt_executable()),
    }


defs = dg.Definitions(
    assets=all_assets,
    jobs=[nightly_build],
    schedules=[nightly_schedule],
    sensors=[landing_folder_sensor],
    resources=build_resources(),
)
