"""Benchmark the nightly build at several scales: full build, one more night, memory, floor.

    .venv/bin/python bench/run.py --scales S,M,L        # BENCHMARKS.md's run (L takes minutes)
    .venv/bin/python bench/run.py --scales S            # a quick look
    .venv/bin/python bench/run.py --scales XS=500       # any NAME=LEADS works too

For each scale, in one invocation:

1. **dataset**: ``generate_landing(leads=N, seed)`` (a year of history in 4 delta extracts),
   cached in ``bench/.cache/<scale>-seed<seed>/``; generation time is reported, never counted
   in a build;
2. **full build**: a copy of the cached landing folder is built into an empty warehouse by
   ``python -m orchestration.cli build`` (Dagster run: ingestion, ``dbt build`` of every model,
   seed, data test and unit test, publishing of the serving file) with a fresh
   ``DAGSTER_HOME``;
3. **one more night**: ``generate_next_night`` adds one day of deltas to that landing copy,
   then the same command builds again on the same warehouse;
4. **floor**: ``bench/floor.py`` in its own process: DuckDB alone reads every landed file once
   and writes a per-lead funnel fact.

It prints a table, writes ``bench/results/latest.json`` (every figure, the machine and how
each figure was taken: see ``METHODS``) and exits non-zero only when a build fails. It never
judges a time: the targets are evaluated and reported, not enforced.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from orchestration.warehouse import DEFAULT_MEMORY_LIMIT, DEFAULT_THREADS  # noqa: E402

SCALES: dict[str, int] = {"XS": 500, "S": 10_000, "M": 100_000, "L": 1_000_000}
DEFAULT_SEED = 42
# generate_landing's defaults, written down so the cache key says what was generated
HISTORY = {"start_date": "2025-01-01", "days": 365, "extracts": 4}
RESULT_VERSION = 1

#: the issue's targets, judged at the largest scale measured (normally L)
TARGETS = {
    "full_build_seconds": 60.0,
    "night_build_seconds": 10.0,
    "peak_memory_gib": 4.0,
    "time_per_10x_data": 10.0,
}

METHODS: dict[str, str] = {
    "generation_seconds": (
        "time of generate_landing in the benchmark process when the dataset was created "
        "(from the cache's meta.json when it was reused); not part of any build"
    ),
    "night_generation_seconds": (
        "time of generate_next_night on the landing copy; not part of any build"
    ),
    "wall_seconds": (
        "time.perf_counter() around the build subprocess `python -m orchestration.cli build "
        "--landing ... --warehouse ... --serving ...`, from spawn to exit: Python start-up, "
        "dbt parse, Dagster run (ingestion, dbt build with every test, publishing), the "
        "row-count printout"
    ),
    "peak_rss_tree_gib": (
        "largest sum of RSS over the build process and all its descendants (the dbt "
        "subprocess), sampled from /proc/<pid>/stat every 0.1 s (descendants found by a scan of "
        "/proc every 0.5 s); summing RSS counts shared "
        "pages once per process, so this is an upper bound of the memory the build held"
    ),
    "peak_rss_largest_process_gib": (
        "ru_maxrss from os.wait4 of the build process: the largest peak RSS of any single "
        "process of the tree (kernel accounting, no sampling), a lower bound"
    ),
    "ingest_seconds": (
        "sum of the Dagster step durations (STEP_START to STEP_SUCCESS/FAILURE in the run's "
        "event log) of the raw/<source>/<entity> ingestion assets; they run one at a time"
    ),
    "dbt_step_seconds": "Dagster step duration of the dbt asset (funnel_dbt_assets)",
    "dbt_elapsed_seconds": (
        "elapsed_time of the dbt invocation from its run_results.json (dbt's own clock, "
        "after its start-up and manifest load)"
    ),
    "dbt_node_busy_seconds": (
        "union of the [compile start, execute end] intervals of every dbt node (models, "
        "seeds, data tests, unit tests) from run_results.json: the wall time during which at "
        "least one node was running. dbt runs 2 threads, so the plain sum of node times "
        "(also reported) can exceed the wall time; the union cannot"
    ),
    "model_busy_seconds": "the same union over models and seeds only",
    "test_only_busy_seconds": (
        "dbt_node_busy_seconds minus model_busy_seconds: time when only tests were running"
    ),
    "publish_seconds": "Dagster step duration of serving/funnel_duckdb (copying the marts)",
    "overhead_seconds": (
        "wall_seconds - ingest_seconds - dbt_node_busy_seconds - publish_seconds: Python and "
        "Dagster start-up, dbt parse, dbt's start-up and manifest load, Dagster's handling "
        "of dbt events between nodes, and the printout after the run"
    ),
    "models": (
        "per dbt model: execution_time from run_results.json (the node's own time, "
        "compile + execute, as dbt prints it)"
    ),
    "floor_seconds": (
        "bench/floor.py's own clock (Python start-up not counted): one DuckDB connection "
        "with the warehouse settings reads every landed file once with read_csv "
        "(union_by_name) into a table, then one SQL writes a per-lead furthest-stage fact "
        "and checkpoints"
    ),
    "other_cpu_share": (
        "share of the machine's CPU time used by other processes during the build: "
        "(busy jiffies from /proc/stat - the build tree's user+system time from os.wait4) "
        "/ (wall * CPUs); 0 means the machine was ours alone"
    ),
    "scaling": (
        "wall time of the larger scale / wall time of the smaller one, for consecutive scales "
        "(each 10x the leads), full build and night separately; time_per_10x_data is the "
        "largest of these multipliers, normalised to a 10x step (target: <= 10)"
    ),
    "busy_by_kind": (
        "per kind of dbt node (model, seed, test, unit_test): union of its nodes' intervals"
    ),
}


# -- small helpers ---------------------------------------------------------------------------


def say(message: str) -> None:
    print(f"[bench {datetime.now().strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_scales(text: str) -> list[tuple[str, int]]:
    scales = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        if "=" in item:
            name, leads = item.split("=", 1)
            scales.append((name.strip(), int(leads.replace("_", ""))))
        elif item.upper() in SCALES:
            scales.append((item.upper(), SCALES[item.upper()]))
        else:
            known = ", ".join(SCALES)
            raise SystemExit(f"unknown scale {item!r}: use one of {known} or NAME=LEADS")
    if not scales:
        raise SystemExit("no scale given")
    return scales


def gib(kib: float) -> float:
    return round(kib / 1024 / 1024, 3)


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def parse_utc(text: str) -> float:
    """Seconds since the epoch of an ISO timestamp written in UTC (with or without 'Z')."""
    text = text.rstrip("Z")
    return datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp()


def union_seconds(intervals: list[tuple[float, float]]) -> float:
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


def cpu_jiffies() -> int:
    """Busy (non-idle) jiffies of the whole machine since boot, from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return sum(fields) - idle


def machine() -> dict[str, Any]:
    import duckdb

    cpu = "unknown"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as info:
        mem_kib = int(info.readline().split()[1])

    def version(package: str) -> str:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as v

        try:
            return v(package)
        except PackageNotFoundError:
            return "missing"

    return {
        "cpu": cpu,
        "cpus": os.cpu_count(),
        "memory_gib": gib(mem_kib),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt_core": version("dbt-core"),
        "dbt_duckdb": version("dbt-duckdb"),
        "dagster": version("dagster"),
        "dagster_dbt": version("dagster-dbt"),
    }


def duckdb_config() -> dict[str, str]:
    return {
        "threads": os.environ.get("FUNNEL_DUCKDB_THREADS", DEFAULT_THREADS),
        "memory_limit": os.environ.get("FUNNEL_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
        "preserve_insertion_order": "false (dbt models; the loader keeps file order)",
        "temp_directory": "<warehouse>.tmp (DuckDB's default for a file)",
        "dbt_threads": "2 (profiles.yml)",
    }


# -- the process-tree monitor ----------------------------------------------------------------


class TreeMemory(threading.Thread):
    """Samples the summed RSS of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.interval = interval
        self.peak_kib = 0
        self.samples = 0
        self._stop_event = threading.Event()
        self._page_kib = os.sysconf("SC_PAGE_SIZE") // 1024

    def _read_stat(self, pid: int) -> tuple[int, int] | None:
        """(parent pid, RSS in KiB) of a process, None when it is gone."""
        try:
            with open(f"/proc/{pid}/stat") as stat:
                text = stat.read()
        except OSError:
            return None
        fields = text[text.rfind(")") + 2 :].split()
        return int(fields[1]), int(fields[21]) * self._page_kib

    def _discover(self) -> set[int]:
        """The process and all its descendants, from every process's parent in /proc."""
        children: dict[int, list[int]] = {}
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                stat = self._read_stat(int(entry.name))
                if stat:
                    children.setdefault(stat[0], []).append(int(entry.name))
        tree, frontier = {self.pid}, [self.pid]
        while frontier:
            for child in children.get(frontier.pop(), []):
                if child not in tree:
                    tree.add(child)
                    frontier.append(child)
        return tree

    def run(self) -> None:
        # the whole of /proc is scanned every 0.5 s to find new descendants; the known ones
        # are read every 0.1 s (a full scan at 10 Hz costs several percent of a core)
        tree: set[int] = set()
        while not self._stop_event.is_set():
            if self.samples % 5 == 0:
                tree = self._discover()
            stats = [self._read_stat(pid) for pid in tree]
            self.peak_kib = max(self.peak_kib, sum(s[1] for s in stats if s))
            self.samples += 1
            self._stop_event.wait(self.interval)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_measured(args: list[str], env: dict[str, str], log: Path) -> dict[str, Any]:
    """Run a command, measuring wall time, tree memory, its CPU time and everyone else's."""
    busy0 = cpu_jiffies()
    load0 = os.getloadavg()[0]
    with log.open("w") as out:
        started = time.perf_counter()
        started_epoch = time.time()
        process = subprocess.Popen(
            args, cwd=PROJECT_DIR, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        monitor = TreeMemory(process.pid)
        monitor.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        ended_epoch = time.time()
        monitor.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
    busy1 = cpu_jiffies()
    ticks = os.sysconf("SC_CLK_TCK")
    own_cpu = usage.ru_utime + usage.ru_stime
    machine_busy = (busy1 - busy0) / ticks
    cpus = os.cpu_count() or 1
    return {
        "exit_code": process.returncode,
        "wall_seconds": round(wall, 3),
        "started_epoch": started_epoch,
        "ended_epoch": ended_epoch,
        "peak_rss_tree_gib": gib(monitor.peak_kib),
        "peak_rss_largest_process_gib": gib(usage.ru_maxrss),
        "memory_samples": monitor.samples,
        "cpu_seconds": round(own_cpu, 2),
        "other_cpu_share": round(max(0.0, (machine_busy - own_cpu) / (wall * cpus)), 3),
        "load_average_at_start": round(load0, 2),
        "log": str(log),
    }


# -- reading what a build left behind --------------------------------------------------------


def latest_run(dagster_home: Path) -> tuple[str, list[tuple[str, str, float]]]:
    """The newest run id of the instance, and its step events (step, event type, epoch)."""
    with sqlite3.connect(dagster_home / "history" / "runs.db") as runs:
        row = runs.execute(
            "select run_id from runs order by create_timestamp desc limit 1"
        ).fetchone()
    if row is None:
        raise RuntimeError(f"no Dagster run recorded in {dagster_home}")
    run_id = row[0]
    events_db = dagster_home / "history" / "runs" / f"{run_id}.db"
    with sqlite3.connect(events_db) as events:
        rows = events.execute(
            "select step_key, dagster_event_type, timestamp from event_logs "
            "where dagster_event_type in "
            "('STEP_START', 'STEP_SUCCESS', 'STEP_FAILURE', 'PIPELINE_START', "
            "'PIPELINE_SUCCESS', 'PIPELINE_FAILURE') order by id"
        ).fetchall()
    return run_id, [(step or "", kind, parse_utc(ts)) for step, kind, ts in rows]


def step_durations(events: list[tuple[str, str, float]]) -> dict[str, float]:
    starts: dict[str, float] = {}
    durations: dict[str, float] = {}
    for step, kind, ts in events:
        if kind == "STEP_START":
            starts[step] = ts
        elif kind in ("STEP_SUCCESS", "STEP_FAILURE") and step in starts:
            durations[step] = ts - starts[step]
    return durations


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
    failed = [n["id"] for n in nodes if n["status"] not in ("success", "pass")]
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


def warehouse_rows(warehouse: Path) -> dict[str, int]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        manifest = con.execute(
            "select coalesce(sum(rows_loaded), 0), coalesce(sum(rows_rejected), 0), count(*) "
            "from raw._load_manifest"
        ).fetchone()
        funnel = con.execute("select count(*) from marts.fct_funnel").fetchone()[0]
    return {
        "raw_rows_loaded": int(manifest[0]),
        "raw_rows_rejected": int(manifest[1]),
        "files_in_manifest": int(manifest[2]),
        "fct_funnel_rows": int(funnel),
    }


# -- one build -------------------------------------------------------------------------------


def build(
    name: str, landing: Path, work: Path, dagster_home: Path, env: dict[str, str]
) -> dict[str, Any]:
    warehouse = work / "warehouse" / "funnel.duckdb"
    serving = work / "serving"
    args = [sys.executable, "-m", "orchestration.cli", "build"]
    args += ["--landing", str(landing), "--warehouse", str(warehouse), "--serving", str(serving)]
    build_env = dict(env, DAGSTER_HOME=str(dagster_home))
    say(f"  {name} build ...")
    measured = run_measured(args, build_env, work / f"{name}.log")
    say(
        f"  {name} build: {measured['wall_seconds']:.1f} s, exit {measured['exit_code']}, "
        f"peak {measured['peak_rss_tree_gib']:.2f} GiB"
    )
    if measured["exit_code"] != 0:
        tail = (work / f"{name}.log").read_text(errors="replace").splitlines()[-40:]
        print("\n".join(tail), file=sys.stderr)
        measured["succeeded"] = False
        return measured
    measured["succeeded"] = True
    run_id, events = latest_run(dagster_home)
    durations = step_durations(events)
    ingest = sum(v for k, v in durations.items() if k.startswith("raw__"))
    dbt_step = durations.get("funnel_dbt_assets", 0.0)
    publish = durations.get("serving__funnel_duckdb", 0.0)
    run_start = next((ts for _, kind, ts in events if kind == "PIPELINE_START"), None)
    run_end = next(
        (ts for _, kind, ts in events if kind in ("PIPELINE_SUCCESS", "PIPELINE_FAILURE")), None
    )
    dbt = summarize_dbt(collect_run_results(run_id, work / name))
    dbt_step_start = next(
        (ts for step, kind, ts in events if step == "funnel_dbt_assets" and kind == "STEP_START"),
        None,
    )
    overhead = measured["wall_seconds"] - ingest - dbt["dbt_node_busy_seconds"] - publish
    measured.update(
        {
            "dagster_run_id": run_id,
            "ingest_seconds": round(ingest, 3),
            "ingest_steps": {k: round(v, 3) for k, v in durations.items() if k.startswith("raw__")},
            "dbt_step_seconds": round(dbt_step, 3),
            "publish_seconds": round(publish, 3),
            "overhead_seconds": round(overhead, 3),
            "overhead_parts": {
                "before_dagster_run_seconds": round(run_start - measured["started_epoch"], 3)
                if run_start
                else None,
                "dbt_startup_seconds": round(dbt["dbt_started_epoch"] - dbt_step_start, 3)
                if dbt_step_start
                else None,
                "dbt_step_minus_node_busy_seconds": round(
                    dbt_step - dbt["dbt_node_busy_seconds"], 3
                ),
                "after_dagster_run_seconds": round(measured["ended_epoch"] - run_end, 3)
                if run_end
                else None,
            },
            **{k: v for k, v in dbt.items() if k != "dbt_started_epoch"},
            **warehouse_rows(warehouse),
            "warehouse_file_gib": gib(warehouse.stat().st_size / 1024),
        }
    )
    for key in ("started_epoch", "ended_epoch"):
        measured.pop(key)
    return measured


# -- datasets --------------------------------------------------------------------------------


def dataset(cache_dir: Path, name: str, leads: int, seed: int) -> dict[str, Any]:
    """The cached landing folder of a scale, generated on first use."""
    from orchestration.sample_data import generate_landing

    folder = cache_dir / f"{name}-seed{seed}"
    meta_file = folder / "meta.json"
    wanted = {"leads": leads, "seed": seed, **HISTORY}
    if meta_file.exists():
        meta = json.loads(meta_file.read_text())
        if meta.get("parameters") == wanted and (folder / "landing").is_dir():
            say(f"  dataset {folder.name}: cached ({meta['landed_bytes'] / 1e6:.0f} MB)")
            return {**meta, "path": str(folder / "landing"), "cached": True}
        say(f"  dataset {folder.name}: cached with other parameters, generating again")
    shutil.rmtree(folder, ignore_errors=True)
    partial = cache_dir / f".{name}-seed{seed}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    say(f"  dataset {folder.name}: generating {leads:,} leads ...")
    started = time.perf_counter()
    summary = generate_landing(
        partial / "landing",
        leads=leads,
        seed=seed,
        start_date=date.fromisoformat(HISTORY["start_date"]),
        days=HISTORY["days"],
        extracts=HISTORY["extracts"],
    )
    seconds = time.perf_counter() - started
    meta = {
        "parameters": wanted,
        "generation_seconds": round(seconds, 3),
        "landed_files": len(summary.files),
        "landed_rows": sum(summary.rows.values()),
        "landed_rows_by_entity": summary.rows,
        "landed_bytes": folder_bytes(partial / "landing"),
    }
    (partial / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    partial.rename(folder)
    say(f"  dataset {folder.name}: {seconds:.1f} s, {meta['landed_bytes'] / 1e6:.0f} MB")
    return {**meta, "path": str(folder / "landing"), "cached": False}


# -- one scale -------------------------------------------------------------------------------


def floor(landing: Path, work: Path, env: dict[str, str]) -> dict[str, Any]:
    database = work / "floor" / "floor.duckdb"
    database.parent.mkdir(parents=True, exist_ok=True)
    args = [sys.executable, str(BENCH_DIR / "floor.py")]
    args += ["--landing", str(landing), "--database", str(database)]
    say("  floor ...")
    measured = run_measured(args, env, work / "floor.log")
    if measured["exit_code"] != 0:
        print((work / "floor.log").read_text(errors="replace")[-3000:], file=sys.stderr)
        raise RuntimeError("the floor failed")
    inner = json.loads((work / "floor.log").read_text().strip().splitlines()[-1])
    shutil.rmtree(database.parent, ignore_errors=True)
    say(f"  floor: {inner['total_seconds']:.1f} s")
    return {
        "floor_seconds": inner["total_seconds"],
        "scan_seconds": inner["scan_seconds"],
        "fact_seconds": inner["fact_seconds"],
        "fact_rows": inner["fact_rows"],
        "entities": inner["entities"],
        "process_wall_seconds": measured["wall_seconds"],
        "peak_rss_tree_gib": measured["peak_rss_tree_gib"],
        "other_cpu_share": measured["other_cpu_share"],
    }


def bench_scale(
    name: str, leads: int, seed: int, cache_dir: Path, work_root: Path, keep: bool
) -> dict[str, Any]:
    say(f"scale {name}: {leads:,} leads")
    data = dataset(cache_dir, name, leads, seed)
    work = work_root / f"{name}-seed{seed}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    landing = work / "landing"
    shutil.copytree(data["path"], landing)  # the night adds files: keep the cache pristine
    dagster_home = work / "dagster_home"
    dagster_home.mkdir()
    env = dict(os.environ)
    env.update(
        {
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DAGSTER_DISABLE_TELEMETRY": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    for variable in ("FUNNEL_LANDING_DIR", "FUNNEL_WAREHOUSE", "FUNNEL_SERVING_DIR"):
        env.pop(variable, None)
    result: dict[str, Any] = {
        "leads": leads,
        "seed": seed,
        "dataset": {k: v for k, v in data.items() if k != "path"},
    }
    result["full"] = build("full", landing, work, dagster_home, env)
    if result["full"]["succeeded"]:
        from orchestration.sample_data import generate_next_night

        started = time.perf_counter()
        night = generate_next_night(landing)
        result["night_generation_seconds"] = round(time.perf_counter() - started, 3)
        result["night_landed_rows"] = sum(night.rows.values())
        say(
            f"  night generated: {result['night_landed_rows']:,} rows in "
            f"{result['night_generation_seconds']:.1f} s"
        )
        result["night"] = build("night", landing, work, dagster_home, env)
    result["floor"] = floor(Path(data["path"]), work, env)
    if not keep:
        for leftover in ("warehouse", "serving", "landing"):
            shutil.rmtree(work / leftover, ignore_errors=True)
    return result


# -- report ----------------------------------------------------------------------------------


def evaluate(scales: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The targets, judged at the largest scale measured, and the scaling between scales."""
    ordered = sorted(scales.items(), key=lambda item: item[1]["leads"])
    scaling = []
    for (small_name, small), (big_name, big) in itertools.pairwise(ordered):
        ratio_leads = big["leads"] / small["leads"]
        entry: dict[str, Any] = {"from": small_name, "to": big_name, "leads_ratio": ratio_leads}
        for phase in ("full", "night"):
            a, b = small.get(phase, {}), big.get(phase, {})
            if a.get("succeeded") and b.get("succeeded"):
                time_ratio = b["wall_seconds"] / a["wall_seconds"]
                entry[f"{phase}_time_ratio"] = round(time_ratio, 2)
                entry[f"{phase}_cost_per_data_ratio"] = round(time_ratio / ratio_leads, 3)
        scaling.append(entry)
    largest_name, largest = ordered[-1]
    full, night = largest.get("full", {}), largest.get("night", {})
    peak = max(full.get("peak_rss_tree_gib", 0.0), night.get("peak_rss_tree_gib", 0.0))

    def verdict(value: float | None, limit: float) -> dict[str, Any]:
        return {"value": value, "limit": limit, "met": value is not None and value <= limit}

    ratios = [
        e[f"{p}_time_ratio"] / e["leads_ratio"] * 10
        for e in scaling
        for p in ("full", "night")
        if f"{p}_time_ratio" in e
    ]
    return {
        "judged_at_scale": largest_name,
        "full_build_seconds": verdict(
            full.get("wall_seconds") if full.get("succeeded") else None,
            TARGETS["full_build_seconds"],
        ),
        "night_build_seconds": verdict(
            night.get("wall_seconds") if night.get("succeeded") else None,
            TARGETS["night_build_seconds"],
        ),
        "peak_memory_gib": verdict(peak or None, TARGETS["peak_memory_gib"]),
        "time_per_10x_data": verdict(
            round(max(ratios), 2) if ratios else None, TARGETS["time_per_10x_data"]
        ),
        "scaling": scaling,
    }


def table(scales: dict[str, dict[str, Any]]) -> str:
    columns = [
        ("scale", lambda r: r["_name"]),
        ("leads", lambda r: f"{r['leads']:,}"),
        ("landed MB", lambda r: f"{r['dataset']['landed_bytes'] / 1e6:,.0f}"),
        ("gen s", lambda r: f"{r['dataset']['generation_seconds']:.1f}"),
        ("full s", lambda r: _fig(r, "full", "wall_seconds")),
        ("ingest s", lambda r: _fig(r, "full", "ingest_seconds")),
        ("dbt nodes s", lambda r: _fig(r, "full", "dbt_node_busy_seconds")),
        ("models s", lambda r: _fig(r, "full", "model_busy_seconds")),
        ("publish s", lambda r: _fig(r, "full", "publish_seconds")),
        ("overhead s", lambda r: _fig(r, "full", "overhead_seconds")),
        ("night s", lambda r: _fig(r, "night", "wall_seconds")),
        ("night ovh s", lambda r: _fig(r, "night", "overhead_seconds")),
        ("peak GiB", lambda r: _peak(r)),
        ("floor s", lambda r: f"{r['floor']['floor_seconds']:.1f}"),
        ("others' CPU", lambda r: _fig(r, "full", "other_cpu_share", "{:.0%}")),
    ]
    rows = [[title for title, _ in columns]]
    for name, result in scales.items():
        rows.append([cell(dict(result, _name=name)) for _, cell in columns])
    widths = [max(len(row[i]) for row in rows) for i in range(len(columns))]
    lines = ["  ".join(v.rjust(w) for v, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fig(result: dict[str, Any], phase: str, key: str, fmt: str = "{:.1f}") -> str:
    measured = result.get(phase, {})
    if not measured.get("succeeded"):
        return "FAILED" if measured else "-"
    return fmt.format(measured[key])


def _peak(result: dict[str, Any]) -> str:
    peaks = [result.get(p, {}).get("peak_rss_tree_gib", 0.0) for p in ("full", "night")]
    return f"{max(peaks):.2f}"


def markdown(report: dict[str, Any]) -> str:
    """The figures of a results file as the Markdown tables of BENCHMARKS.md."""
    scales = report["scales"]
    out = [
        "| scale | leads | landed | generation | full build | ingest | dbt nodes | "
        "models | tests only | publish | overhead | one more night | night overhead | "
        "peak memory (tree / largest process) | floor | others' CPU (full / night) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in scales.items():
        full, night = r.get("full", {}), r.get("night", {})

        def s(phase: dict[str, Any], key: str) -> str:
            return f"{phase[key]:.1f} s" if phase.get("succeeded") else "failed"

        peak = max(full.get("peak_rss_tree_gib", 0), night.get("peak_rss_tree_gib", 0))
        largest = max(
            full.get("peak_rss_largest_process_gib", 0),
            night.get("peak_rss_largest_process_gib", 0),
        )
        out.append(
            f"| {name} | {r['leads']:,} | {r['dataset']['landed_bytes'] / 1e6:,.0f} MB, "
            f"{r['dataset']['landed_rows']:,} rows | {r['dataset']['generation_seconds']:.1f} s "
            f"| **{s(full, 'wall_seconds')}** | {s(full, 'ingest_seconds')} "
            f"| {s(full, 'dbt_node_busy_seconds')} | {s(full, 'model_busy_seconds')} "
            f"| {s(full, 'test_only_busy_seconds')} | {s(full, 'publish_seconds')} "
            f"| {s(full, 'overhead_seconds')} | **{s(night, 'wall_seconds')}** "
            f"| {s(night, 'overhead_seconds')} | **{peak:.2f} GiB** / {largest:.2f} GiB "
            f"| {r['floor']['floor_seconds']:.1f} s "
            f"| {full.get('other_cpu_share', 0):.0%} / {night.get('other_cpu_share', 0):.0%} |"
        )
    out += ["", "Slowest models of the full build (dbt execution_time, seconds):", ""]
    names = list(scales)
    out.append("| model | " + " | ".join(names) + " |")
    out.append("|---|" + "---:|" * len(names))
    largest_name = max(names, key=lambda n: scales[n]["leads"])
    top = [m["model"] for m in scales[largest_name].get("full", {}).get("models", [])[:12]]
    for model in top:
        cells = []
        for n in names:
            found = {m["model"]: m["seconds"] for m in scales[n].get("full", {}).get("models", [])}
            cells.append(f"{found[model]:.1f}" if model in found else "-")
        out.append(f"| {model} | " + " | ".join(cells) + " |")
    evaluation = report["evaluation"]
    out += ["", f"Targets, judged at {evaluation['judged_at_scale']}:", ""]
    out.append("| target | limit | measured | met |")
    out.append("|---|---:|---:|---|")
    for key in TARGETS:
        v = evaluation[key]
        out.append(f"| {key} | {v['limit']:g} | {v['value']} | {'yes' if v['met'] else '**no**'} |")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scales", default="S", help="comma-separated: XS, S, M, L or NAME=LEADS (default: S)"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--cache-dir", type=Path, default=BENCH_DIR / ".cache")
    parser.add_argument(
        "--work-dir", type=Path, help="where builds run (default: <cache-dir>/work)"
    )
    parser.add_argument("--results", type=Path, default=BENCH_DIR / "results" / "latest.json")
    parser.add_argument(
        "--keep", action="store_true", help="keep each scale's warehouse and landing copy"
    )
    parser.add_argument(
        "--markdown",
        type=Path,
        metavar="RESULTS",
        help="print the figures of a results file as Markdown tables, then exit",
    )
    parser.add_argument(
        "--prepare", action="store_true", help="only generate (and cache) the datasets, then exit"
    )
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(json.loads(args.markdown.read_text())))
        return 0
    scales = parse_scales(args.scales)
    cache_dir = args.cache_dir.resolve()
    work_root = (args.work_dir or cache_dir / "work").resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    say(f"scales {', '.join(f'{n}={v:,}' for n, v in scales)}; cache {cache_dir}")
    if args.prepare:
        for name, leads in scales:
            dataset(cache_dir, name, leads, args.seed)
        return 0
    results: dict[str, dict[str, Any]] = {}
    for name, leads in scales:
        results[name] = bench_scale(name, leads, args.seed, cache_dir, work_root, args.keep)
    report = {
        "version": RESULT_VERSION,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "duckdb_settings": duckdb_config(),
        "targets": TARGETS,
        "scales": results,
        "evaluation": evaluate(results),
        "methods": METHODS,
    }
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(report, indent=2) + "\n")
    print(table(results))
    evaluation = report["evaluation"]
    print(f"\ntargets at {evaluation['judged_at_scale']}:")
    for key in TARGETS:
        v = evaluation[key]
        met = "met" if v["met"] else "NOT met"
        print(f"  {key:<22} {v['value']!s:>8}  limit {v['limit']:>6}  {met}")
    for entry in evaluation["scaling"]:
        print(
            f"  {entry['from']} -> {entry['to']} ({entry['leads_ratio']:g}x leads): full "
            f"{entry.get('full_time_ratio', '-')}x, "
            f"night {entry.get('night_time_ratio', '-')}x time"
        )
    print("\nhow each figure was taken:")
    for key, text in METHODS.items():
        print(f"  {key}: {text}")
    print(f"\nresults: {args.results}")
    phases = [r.get(p, {}) for r in results.values() for p in ("full", "night")]
    return 0 if all(p.get("succeeded") for p in phases) else 1


if __name__ == "__main__":
    sys.exit(main())
