"""Recovering from a build that was killed: free what the dead run still holds.

A run killed with SIGKILL never tells Dagster it ended, so it stays "started" and keeps its
slot in the warehouse-writer pool; the next build would wait for that slot for ever. Before a
build starts, and only once it is sure no other process holds the warehouse (DuckDB's file
lock), the CLI marks such runs failed and frees their slots.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb

from orchestration.warehouse import connect


class WarehouseBusy(RuntimeError):
    """Another process has the warehouse file open."""


def ensure_no_other_writer(warehouse: Path) -> None:
    try:
        with connect(warehouse) as con:
            con.execute("select 1")
    except duckdb.IOException as error:
        raise WarehouseBusy(
            f"{warehouse} is open in another process (a running build, or a reader holding "
            f"it): {error}. Readers should use the serving file."
        ) from None


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
