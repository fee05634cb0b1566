"""One run of the ``nightly_build`` job, the same job the schedule and the sensor start.

``run_build`` is what ``funnel build`` does: take the build lock before anything else, make
sure no reader holds the build file, open the Dagster instance next to the warehouse, fail
runs a killed build left behind, parse the dbt project, run the job, summarise.
``execute_nightly_build`` is the run alone; the tests call it with a temporary instance.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg

from orchestration.dbt_project import parse_project
from orchestration.definitions import load_definitions
from orchestration.defs.assets.dbt import dbt_run_config
from orchestration.defs.assets.ingestion import raw_asset_key
from orchestration.defs.jobs import NIGHTLY_BUILD
from orchestration.defs.resources import Engine, WarehousePaths
from orchestration.engines.targets import DUCKDB, TARGET_VARIABLE
from orchestration.idle_systems import IDLE_SYSTEMS_VARIABLE, idle_systems
from orchestration.landed_entities import LANDED_ENTITIES
from orchestration.parse_state import parse_state_dir
from orchestration.run_summary import RunSummary, summarize
from orchestration.runner.instance import dagster_home, fail_interrupted_runs, open_instance
from orchestration.runner.lock import build_lock, ensure_no_other_writer
from orchestration.settings import PROJECT_DIR

Progress = Callable[[str], None]


def nightly_build_run_config(
    landing: Path,
    warehouse: Path,
    serving: Path,
    *,
    full_refresh: bool = False,
    log_level: str | None = None,
    target: str = DUCKDB,
) -> dg.RunConfig:
    """Paths for the ``paths`` resource, options for the dbt step (found by the definitions)."""
    paths = WarehousePaths(
        landing_dir=str(landing), warehouse=str(warehouse), serving_dir=str(serving)
    )
    loggers: dict[str, Any] = {}
    if log_level:
        loggers = {"console": {"config": {"log_level": log_level}}}
    return dg.RunConfig(
        ops=dbt_run_config(full_refresh),
        resources={"paths": paths, "engine": Engine(target=target)},
        loggers=loggers,
    )


def execute_nightly_build(
    instance: dg.DagsterInstance,
    run_config: dg.RunConfig,
    manifest_path: Path | None = None,
    *,
    left_out: Collection[dg.AssetKey] = (),
) -> dg.ExecuteInProcessResult:
    """Run the definitions' ``nightly_build`` job in this process; never raises on a failure.
    ``manifest_path``: the parse whose dbt assets the job builds (default target/manifest.json);
    ``left_out``: assets the run does not materialise (their checks go with them)."""
    job = load_definitions(manifest_path).resolve_job_def(NIGHTLY_BUILD)
    selection = None
    if left_out:
        selection = [key for key in job.asset_layer.executable_asset_keys if key not in left_out]
    return job.execute_in_process(
        run_config=run_config, instance=instance, raise_on_error=False, asset_selection=selection
    )


def run_build(
    landing: Path,
    warehouse: Path,
    serving: Path,
    *,
    full_refresh: bool = False,
    progress: Progress = print,
    target: str = DUCKDB,
) -> RunSummary:
    """The whole nightly build from the command line. Raises ``WarehouseBusy`` at once when
    another build holds the lock or a reader holds the build file."""
    with build_lock(warehouse):
        ensure_no_other_writer(warehouse)
        with open_instance(dagster_home(warehouse)) as instance:
            for run_id in fail_interrupted_runs(instance):
                progress(f"marked interrupted run {run_id} as failed and freed its pool slot")
            # parse with the build's target, so dbt keeps the partial-parse state for the build
            os.environ[TARGET_VARIABLE] = target
            idle = idle_systems(PROJECT_DIR, landing, warehouse)
            if idle:
                progress(f"native systems with nothing landed, not built: {', '.join(idle)}")
            with environment_variable(IDLE_SYSTEMS_VARIABLE, ",".join(idle)):
                parse_project(warehouse, say=progress)
                where = "" if target == DUCKDB else f" (dbt on {target})"
                progress(f"building {warehouse} from {landing}{where}")
                run_config = nightly_build_run_config(
                    landing,
                    warehouse,
                    serving,
                    full_refresh=full_refresh,
                    log_level="WARNING",
                    target=target,
                )
                # the dbt assets of this warehouse's own parse, which left out the same idle
                # systems as the build will (target/manifest.json is shared by every build)
                manifest = parse_state_dir(warehouse, target) / "manifest.json"
                # an idle system has no landed file and no raw row: ingesting its objects would
                # only record that nothing is there (about 5 Dagster events per object)
                result = execute_nightly_build(
                    instance, run_config, manifest, left_out=idle_raw_assets(idle)
                )
    return summarize(result, warehouse)


def idle_raw_assets(idle: Collection[str]) -> list[dg.AssetKey]:
    """The raw assets of the landed objects of the ``idle`` native systems."""
    return [raw_asset_key(entity) for entity in LANDED_ENTITIES if entity.source in idle]


@contextmanager
def environment_variable(name: str, value: str) -> Iterator[None]:
    """``name`` set to ``value`` for the block, then as it was (a test session runs many builds
    in one process, and dbt run by hand must not inherit a build's setting)."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before
