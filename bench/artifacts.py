"""Reading what a build left behind, through the tools' own interfaces: the Dagster run from
the instance's API (steps and the assets each one materialised), dbt's ``run_results.json``
artifact, and the warehouse's load manifest."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent


def parse_utc(text: str) -> float:
    """Seconds since the epoch of an ISO timestamp written in UTC (with or without 'Z')."""
    text = text.rstrip("Z")
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def union_seconds(intervals: list[tuple[float, float]]) -> float:
    """Seconds covered by at least one of the intervals."""
    total, current_start, current_end = 0.0, None, None
    for start, end in sorted(intervals):
        if current_end is None or start > current_end:
            if current_end is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_end is not None:
        total += current_end - current_start
    return total


# -- the Dagster run -------------------------------------------------------------------------


@dataclass
class Step:
    """One step of a run: when it started and ended, and the asset keys it materialised."""

    started: float | None = None
    ended: float | None = None
    assets: set[str] = field(default_factory=set)

    @property
    def asset_roots(self) -> set[str]:
        """``raw``, ``serving``, or the dbt layers (``staging``, ``marts``, ...)."""
        return {key.split("/")[0] for key in self.assets}

    @property
    def seconds(self) -> float:
        return (self.ended - self.started) if self.started and self.ended else 0.0


@dataclass
class DagsterRun:
    run_id: str
    started: float | None
    ended: float | None
    steps: dict[str, Step]

    def steps_writing(self, root: str) -> dict[str, Step]:
        return {key: step for key, step in self.steps.items() if root in step.asset_roots}

    def dbt_steps(self) -> dict[str, Step]:
        """Steps that materialised dbt models or seeds (every root but raw and serving)."""
        return {
            key: step for key, step in self.steps.items() if step.asset_roots - {"raw", "serving"}
        }


def latest_dagster_run(dagster_home: Path) -> DagsterRun:
    """The newest run of the instance in ``dagster_home``, read through ``DagsterInstance``."""
    import dagster as dg

    kinds = dg.DagsterEventType
    with dg.DagsterInstance.from_config(str(dagster_home)) as instance:
        runs = instance.get_runs(limit=1)
        if not runs:
            raise RuntimeError(f"no Dagster run recorded in {dagster_home}")
        run_id = runs[0].run_id
        entries = instance.all_logs(run_id)
    run = DagsterRun(run_id, None, None, {})
    for entry in entries:
        event = entry.dagster_event
        if event is None:
            continue
        kind = event.event_type
        if kind == kinds.RUN_START:
            run.started = entry.timestamp
        elif kind in (kinds.RUN_SUCCESS, kinds.RUN_FAILURE):
            run.ended = entry.timestamp
        elif event.step_key is None:
            continue
        elif kind == kinds.STEP_START:
            run.steps.setdefault(event.step_key, Step()).started = entry.timestamp
        elif kind in (kinds.STEP_SUCCESS, kinds.STEP_FAILURE):
            run.steps.setdefault(event.step_key, Step()).ended = entry.timestamp
        elif kind == kinds.ASSET_MATERIALIZATION and event.asset_key is not None:
            step = run.steps.setdefault(event.step_key, Step())
            step.assets.add(event.asset_key.to_user_string())
    return run


# -- dbt's run_results.json ------------------------------------------------------------------


def collect_run_results(run_id: str, keep_in: Path) -> dict[str, Any]:
    """run_results.json of the run's dbt invocation (moved out of the project's target/)."""
    candidates = sorted(PROJECT_DIR.glob(f"target/*-{run_id[:7]}-*/run_results.json"))
    if not candidates:
        raise RuntimeError(f"no target/*-{run_id[:7]}-*/run_results.json for run {run_id}")
    folder = candidates[-1].parent
    results = json.loads(candidates[-1].read_text())
    destination = keep_in / "dbt_target"
    shutil.rmtree(destination, ignore_errors=True)
    shutil.move(str(folder), str(destination))
    return results


def summarize_dbt(results: dict[str, Any]) -> dict[str, Any]:
    nodes: list[dict[str, Any]] = []
    for result in results["results"]:
        unique_id = result["unique_id"]
        kind = unique_id.split(".", 1)[0]
        timing = {t["name"]: t for t in result.get("timing", [])}
        interval = None
        if timing:
            start = min(parse_utc(t["started_at"]) for t in timing.values() if t["started_at"])
            end = max(parse_utc(t["completed_at"]) for t in timing.values() if t["completed_at"])
            interval = (start, end)
        nodes.append(
            {
                "id": unique_id,
                "kind": kind,
                "status": result["status"],
                "seconds": result["execution_time"],
                "interval": interval,
            }
        )
    by_kind: dict[str, dict[str, float]] = {}
    for node in nodes:
        entry = by_kind.setdefault(node["kind"], {"count": 0, "sum_seconds": 0.0})
        entry["count"] += 1
        entry["sum_seconds"] += node["seconds"]
    for entry in by_kind.values():
        entry["sum_seconds"] = round(entry["sum_seconds"], 3)
    all_intervals = [n["interval"] for n in nodes if n["interval"]]
    model_intervals = [
        n["interval"] for n in nodes if n["interval"] and n["kind"] in ("model", "seed")
    ]
    busy = union_seconds(all_intervals)
    busy_by_kind = {
        kind: round(
            union_seconds([n["interval"] for n in nodes if n["kind"] == kind and n["interval"]]), 3
        )
        for kind in by_kind
    }
    model_busy = union_seconds(model_intervals)
    models = sorted(
        (
            {"model": n["id"].split(".")[-1], "seconds": round(n["seconds"], 3)}
            for n in nodes
            if n["kind"] == "model"
        ),
        key=lambda m: -m["seconds"],
    )
    slow_tests = sorted(
        (
            {"test": n["id"].split(".", 2)[-1], "seconds": round(n["seconds"], 3)}
            for n in nodes
            if n["kind"] in ("test", "unit_test")
        ),
        key=lambda t: -t["seconds"],
    )[:10]
    # an exposure (issue 16) is a node of `dbt build` with nothing to run: status no-op
    failed = [n["id"] for n in nodes if n["status"] not in ("success", "pass", "no-op")]
    return {
        "dbt_elapsed_seconds": round(results["elapsed_time"], 3),
        "dbt_started_epoch": parse_utc(results["metadata"]["invocation_started_at"]),
        "dbt_node_busy_seconds": round(busy, 3),
        "model_busy_seconds": round(model_busy, 3),
        "test_only_busy_seconds": round(busy - model_busy, 3),
        "nodes_by_kind": by_kind,
        "busy_by_kind": busy_by_kind,
        "nodes_not_passed": failed,
        "models": models,
        "slowest_tests": slow_tests,
    }


# -- the warehouse ---------------------------------------------------------------------------


def warehouse_rows(warehouse: Path, *, with_marts: bool = True) -> dict[str, int]:
    """Rows loaded and rejected (raw's load manifest) and, when the marts are in the DuckDB
    marts file next to it (``with_marts``: the build's target was DuckDB), rows of
    marts.fct_funnel."""
    from orchestration.warehouse import connect

    with connect(warehouse, read_only=True, with_marts=with_marts) as con:
        manifest = con.execute(
            "select coalesce(sum(rows_loaded), 0), coalesce(sum(rows_rejected), 0), count(*) "
            "from raw._load_manifest"
        ).fetchone()
        figures = {
            "raw_rows_loaded": int(manifest[0]),
            "raw_rows_rejected": int(manifest[1]),
            "files_in_manifest": int(manifest[2]),
        }
        if with_marts:
            funnel = con.execute("select count(*) from marts.fct_funnel").fetchone()[0]
            figures["fct_funnel_rows"] = int(funnel)
    return figures
