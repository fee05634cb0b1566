"""The one Dagster ``Definitions`` of the project: ``dagster dev -m orchestration.definitions``.

``defs`` is loaded when Dagster asks for it, not at import. The ``funnel`` command and the
tests take the ``nightly_build`` job from the same ``load_definitions()``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import dagster as dg

from orchestration.dbt_project import dbt_project
from orchestration.defs.assets import all_assets
from orchestration.defs.assets.dbt import manifest_version
from orchestration.defs.jobs import nightly_build
from orchestration.defs.resources import build_resources
from orchestration.defs.schedules import nightly_build_schedule
from orchestration.defs.sensors import landing_folder_sensor


def load_definitions(manifest_path: Path | None = None) -> dg.Definitions:
    """Every asset, the job, the schedule, the sensor and the resources, the dbt assets those of
    ``manifest_path`` (default target/manifest.json; built once per manifest file version)."""
    return _definitions_of(*manifest_version(manifest_path or dbt_project().manifest_path))


@cache
def _definitions_of(manifest_path: Path, _mtime_ns: int, _size: int) -> dg.Definitions:
    return dg.Definitions(
        assets=all_assets(manifest_path),
        jobs=[nightly_build],
        schedules=[nightly_build_schedule],
        sensors=[landing_folder_sensor],
        resources=build_resources(),
    )


@dg.definitions
def defs() -> dg.Definitions:
    return load_definitions()
