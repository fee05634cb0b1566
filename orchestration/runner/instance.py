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
import yaml
from dagster._core.instance.ref import InstanceRef

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


#: the instance settings that choose a storage; when dagster.yaml names none, the event log is
#: Dagster's SQLite one with its engines kept (orchestration/runner/event_log_storage.py)
STORAGE_SETTINGS = ("storage", "run_storage", "event_log_storage", "schedule_storage")


def open_instance(home: Path) -> dg.DagsterInstance:
    """The persistent instance in ``home`` (its storage is created on first use)."""
    config = yaml.safe_load((home / "dagster.yaml").read_text(encoding="utf-8")) or {}
    if any(setting in config for setting in STORAGE_SETTINGS):
        return dg.DagsterInstance.from_config(str(home))
    # the same files as Dagster's default storage: runs in history/, event logs in
    # history/runs/, schedules in schedules/
    overrides = {
        "event_log_storage": {
            "module": "orchestration.runner.event_log_storage",
            "class": "KeptEngineSqliteEventLogStorage",
            "config": {"base_dir": str(home / "history" / "runs")},
        }
    }
    return dg.DagsterInstance.from_ref(InstanceRef.from_dir(str(home), overrides=overrides))


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
