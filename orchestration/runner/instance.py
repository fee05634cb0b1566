"""The Dagster instance of ``funnel build``, and recovering from a build that was killed.

The instance lives next to the warehouse (``<warehouse folder>/dagster_home``, or
``DAGSTER_HOME``), so ``dagster dev`` shows the runs. A run killed with SIGKILL never tells
Dagster it ended, so it stays "started" and keeps its slot in the warehouse-writer pool; the
next build would wait for that slot for ever. Before a build starts, and only while it holds
the build lock, it marks such runs failed and frees their slots.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import dagster as dg

from orchestration.settings import PROJECT_DIR

INSTANCE_CONFIG = PROJECT_DIR / "orchestration" / "dagster.yaml"


def dagster_home(warehouse: Path) -> Path:
    """``DAGSTER_HOME`` or ``<warehouse folder>/dagster_home``, with its dagster.yaml."""
    home = Path(os.environ.get("DAGSTER_HOME") or warehouse.parent / "dagster_home").resolve()
    home.mkdir(parents=True, exist_ok=True)
    config = home / "dagster.yaml"
    if not config.exists():
        # copied aside, then renamed: a build killed mid-copy leaves no half-written config
        partial = home / f".dagster.yaml.{os.getpid()}"
        shutil.copy(INSTANCE_CONFIG, partial)
        os.replace(partial, config)
    return home


def open_instance(home: Path) -> dg.DagsterInstance:
    """The persistent instance in ``home`` (its storage is created on first use)."""
    return dg.DagsterInstance.from_config(str(home))


def fail_interrupted_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark runs that are still 'started' as failed and free their pool slots."""
    stale = instance.get_runs(
        filters=dg.RunsFilter(
            statuses=[
                dg.DagsterRunStatus.STARTING,
                dg.DagsterRunStatus.STARTED,
                dg.DagsterRunStatus.CANCELING,
            ]
        )
    )
    for run in stale:
        instance.report_run_failed(
            run, "interrupted: the process running it is gone (killed or crashed)"
        )
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
    return [run.run_id for run in stale]
