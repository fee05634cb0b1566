"""The one Dagster ``Definitions`` of the project: ``dagster dev -m orchestration.definitions``.

``defs`` is loaded when Dagster asks for it, not at import. The ``funnel`` command and the
tests take the ``nightly_build`` job from the same ``load_definitions()``.
"""

from __future__ import annotations

from functools import cache

import dagster as dg

from orchestration.defs.assets import all_assets
from orchestration.defs.jobs import nightly_build
from orchestration.defs.resources import build_resources
from orchestration.defs.schedules import nightly_build_schedule
from orchestration.defs.sensors import landing_folder_sensor


@cache
def load_definitions() -> dg.Definitions:
    """Every asset, the job, the schedule, the sensor and the resources (built once)."""
    return dg.Definitions(
        assets=all_assets(),
        jobs=[nightly_build],
        schedules=[nightly_build_schedule],
        sensors=[landing_folder_sensor],
        resources=build_resources(),
    )


@dg.definitions
def defs() -> dg.Definitions:
    return load_definitions()
