"""Benchmark the nightly build at several scales: full build, one more night, memory, floor.

    .venv/bin/python bench/run.py --scales S,M,L        # BENCHMARKS.md's run (L takes minutes)
    .venv/bin/python bench/run.py --scales S            # a quick look
    .venv/bin/python bench/run.py --scales XS=500       # any NAME=LEADS works too
    .venv/bin/python bench/run.py --shapes canonical    # without the Salesforce shape
    .venv/bin/python bench/run.py --engines duckdb,postgres,spark   # the full build per engine

For each scale, in one invocation:

1. **dataset**: ``generate_landing(leads=N, seed)`` (a year of history in 4 delta extracts),
   cached in ``bench/.cache/<scale>-seed<seed>/``; generation time is reported, never counted
   in a build (``bench/datasets.py``);
2. **full build**: a copy of the cached landing folder is built into an empty warehouse by
   ``python -m orchestration.cli build`` (the ``nightly_build`` job: ingestion, ``dbt build`` of
   every model, seed and data test, publishing of the serving file) with a fresh
   ``DAGSTER_HOME``;
3. **one more night**: ``generate_next_night`` adds one day of deltas to that landing copy,
   then the same command builds again on the same warehouse;
4. **same answers** (issue 17): the landing folder after the night is built again from scratch
   into an empty warehouse (a third build, ``rebuild``, timed like the others) and one hash
   per mart table of the two warehouses is compared (``bench/same_answers.py``): the result is
   ``identical`` or the tables that differ;
5. **floor**: ``bench/floor.py`` in its own process: DuckDB alone reads every landed file once
   and writes a per-lead funnel fact;
   **stack floor** (once per run, after the first full build): ``bench/stack_floor.py`` in its
   own process: the imports of Dagster and dagster-dbt in a new interpreter, and ``dbt build``
   of a project of do-nothing nodes with that build's DAG: what the stack costs any build
   whatever its data;
6. **engines** (``--engines``, default ``duckdb``): the canonical world's full build on each
   other engine (``funnel build --target postgres|spark``, PostgreSQL on a private server),
   beside DuckDB's full build (``bench/engines.py``);
7. **native shapes** (``--shapes``, default ``canonical,salesforce``): the same world converted
   to Salesforce Data Export files (``funnel generate --format salesforce``, cached in
   ``bench/.cache/<scale>-seed<seed>-salesforce/``) gets a full build the same way, reported
   beside the canonical one with the ratio of the two (issue 13's aim: within 1.2x). No night
   (the generator's next night writes canonical files only) and no floor (it reads canonical
   files) in a native shape.

``bench/measure.py`` measures each process tree, ``bench/artifacts.py`` reads what a build
left behind (the Dagster run through the instance's API, dbt's ``run_results.json``) and
``bench/report.py`` judges the targets and prints. It writes ``bench/results/latest.json``
(every figure, the machine and how each figure was taken) and exits non-zero when a build
fails or when a night's marts differ from the full rebuild's. It never judges a time: the
targets (ratios to the floor of the same run) are evaluated and reported, not enforced.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BENCH_DIR.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from bench import artifacts, report, same_answers  # noqa: E402
from bench.datasets import dataset, shaped_dataset  # noqa: E402
from bench.engines import (  # noqa: E402
    engine_environment,
    fct_funnel_rows,
    handover_seconds,
    parse_engines,
)
from bench.measure import duckdb_config, gib, machine, run_measured, say  # noqa: E402

SCALES: dict[str, int] = {"XS": 500, "S": 10_000, "M": 100_000, "L": 1_000_000}
DEFAULT_SEED = 42
#: 2: the native shapes under "shapes"; 3: "same_answers" per scale, "engines"; 4: "stack_floor"
RESULT_VERSION = 4
#: the landing shapes the benchmark can build; "canonical" is the landing contract
SHAPES = ("canonical", "salesforce")


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


def parse_shapes(text: str) -> list[str]:
    shapes = [s.strip().lower() for s in text.split(",") if s.strip()]
    unknown = [s for s in shapes if s not in SHAPES]
    if unknown or not shapes:
        given = ", ".join(unknown) or repr(text)
        raise SystemExit(f"unknown shape {given}: use {', '.join(SHAPES)}")
    return [s for s in SHAPES if s in shapes]


# -- one build -------------------------------------------------------------------------------


def build(
    name: str,
    landing: Path,
    work: Path,
    dagster_home: Path,
    env: dict[str, str],
    target: str = "duckdb",
) -> dict[str, Any]:
    warehouse = work / "warehouse" / "funnel.duckdb"
    serving = work / "serving"
    args = [sys.executable, "-m", "orchestration.cli", "build"]
    args += ["--landing", str(landing), "--warehouse", str(warehouse), "--serving", str(serving)]
    if target != "duckdb":
        args += ["--target", target]
    build_env = dict(env, DAGSTER_HOME=str(dagster_home))
    say(f"  {name} build ...")
    measured = run_measured(args, build_env, work / f"{name}.log")
    say(
        f"  {name} build: {measured['wall_seconds']:.1f} s, exit {measured['exit_code']}, "
        f"peak {measured['peak_rss_tree_gib']:.2f} GiB"
    )
    started, ended = measured.pop("started_epoch"), measured.pop("ended_epoch")
    if measured["exit_code"] != 0:
        tail = (work / f"{name}.log").read_text(errors="replace").splitlines()[-40:]
        print("\n".join(tail), file=sys.stderr)
        return {**measured, "succeeded": False}

    run = artifacts.latest_dagster_run(dagster_home)
    ingest_steps = run.steps_writing("raw")
    ingest = sum(step.seconds for step in ingest_steps.values())
    serving_steps = run.steps_writing("serving").values()
    publish = sum(s.seconds for s in serving_steps if "serving/funnel_report" not in s.assets)
    # issue 16: the HTML report's step, after publishing (target: <= 20% of the S build)
    report_seconds = sum(s.seconds for s in serving_steps if "serving/funnel_report" in s.assets)
    dbt_steps = list(run.dbt_steps().values())
    dbt_step = sum(step.seconds for step in dbt_steps)
    dbt = artifacts.summarize_dbt(artifacts.collect_run_results(run.run_id, work / name))
    overhead = (
        measured["wall_seconds"] - ingest - dbt["dbt_node_busy_seconds"] - publish - report_seconds
    )
    dbt_started = min((s.started for s in dbt_steps if s.started), default=None)

    def seconds(later: float | None, earlier: float | None) -> float | None:
        return round(later - earlier, 3) if later and earlier else None

    return {
        **measured,
        "succeeded": True,
        "dagster_run_id": run.run_id,
        "ingest_seconds": round(ingest, 3),
        "ingest_steps": {
            "+".join(sorted(step.assets)): round(step.seconds, 3) for step in ingest_steps.values()
        },
        "dbt_step_seconds": round(dbt_step, 3),
        "publish_seconds": round(publish, 3),
        "report_seconds": round(report_seconds, 3),
        "report_share_of_build": round(
            report_seconds / max(measured["wall_seconds"] - report_seconds, 1e-9), 4
        ),
        "overhead_seconds": round(overhead, 3),
        "overhead_parts": {
            "before_dagster_run_seconds": seconds(run.started, started),
            "dbt_startup_seconds": seconds(dbt["dbt_started_epoch"], dbt_started),
            "dbt_step_minus_node_busy_seconds": round(dbt_step - dbt["dbt_node_busy_seconds"], 3),
            "after_dagster_run_seconds": seconds(ended, run.ended),
        },
        **{k: v for k, v in dbt.items() if k != "dbt_started_epoch"},
        **artifacts.warehouse_rows(warehouse, with_marts=target == "duckdb"),
        **({} if target == "duckdb" else engine_figures(target, warehouse, work, name, env)),
        "warehouse_file_gib": gib(warehouse.stat().st_size / 1024),
    }


def engine_figures(
    target: str, warehouse: Path, work: Path, name: str, env: dict[str, str]
) -> dict[str, Any]:
    """What a build on another engine adds: its raw handover time, fct_funnel rows there."""
    return {
        "target": target,
        "handover_seconds": handover_seconds(work / f"{name}.log"),
        "fct_funnel_rows": fct_funnel_rows(target, warehouse, env),
    }


# -- one scale -------------------------------------------------------------------------------


def run_script(
    script: str, options: list[str], env: dict[str, str], log: Path
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Run a bench script in its own process: how it was measured, and the JSON it printed last."""
    measured = run_measured([sys.executable, str(BENCH_DIR / script), *options], env, log)
    if measured["exit_code"] != 0:
        print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
        raise RuntimeError(f"bench/{script} failed")
    return measured, json.loads(log.read_text().strip().splitlines()[-1])


def floor(landing: Path, work: Path, env: dict[str, str]) -> dict[str, Any]:
    database = work / "floor" / "floor.duckdb"
    database.parent.mkdir(parents=True, exist_ok=True)
    say("  floor ...")
    options = ["--landing", str(landing), "--database", str(database)]
    measured, inner = run_script("floor.py", options, env, work / "floor.log")
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


def stack_floor(dbt_target: Path, work: Path, env: dict[str, str]) -> dict[str, Any]:
    """What Python, Dagster and dbt alone cost a build (bench/stack_floor.py), once per run."""
    folder = work / "stack_floor"
    say("stack floor (imports, dbt build of do-nothing nodes) ...")
    options = ["--dbt-target", str(dbt_target), "--work", str(folder)]
    measured, inner = run_script("stack_floor.py", options, env, work / "stack_floor.log")
    shutil.rmtree(folder, ignore_errors=True)
    say(
        f"stack floor: {inner['stack_floor_seconds']:.1f} s (imports "
        f"{inner['imports_seconds']:.1f} s, dbt build {inner['dbt_build_seconds']:.1f} s)"
    )
    return {**inner, "other_cpu_share": measured["other_cpu_share"]}


def build_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DAGSTER_DISABLE_TELEMETRY": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    # a native shape sets FUNNEL_TOUCHPOINTS_LEAD_SYSTEM itself (shape_env)
    for variable in (
        "FUNNEL_LANDING_DIR",
        "FUNNEL_WAREHOUSE",
        "FUNNEL_SERVING_DIR",
        "FUNNEL_TOUCHPOINTS_LEAD_SYSTEM",
        "FUNNEL_TARGET",
        "FUNNEL_SPARK_DIR",
    ):
        env.pop(variable, None)
    return env


def shape_env(shape: str) -> dict[str, str]:
    """The build's environment for a native shape: the generated web touchpoints carry the
    native CRM's lead ids, so their lead ids get that system's prefix (README "Web touchpoints
    of a native CRM's leads"); `funnel demo --format` sets the same."""
    env = build_env()
    system = shape.split("-")[0]
    if system in ("salesforce", "hubspot"):
        env["FUNNEL_TOUCHPOINTS_LEAD_SYSTEM"] = system
    return env


def fresh_work(work: Path, data: dict[str, Any]) -> tuple[Path, Path]:
    """An empty work folder with a copy of the dataset's landing folder and a DAGSTER_HOME."""
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    landing = work / "landing"
    shutil.copytree(data["path"], landing)  # the night adds files: keep the cache pristine
    dagster_home = work / "dagster_home"
    dagster_home.mkdir()
    return landing, dagster_home


def bench_scale(
    name: str,
    leads: int,
    seed: int,
    cache_dir: Path,
    work_root: Path,
    keep: bool,
    *,
    full_only: bool = False,
) -> dict[str, Any]:
    say(f"scale {name}: {leads:,} leads")
    data = dataset(cache_dir, name, leads, seed)
    work = work_root / f"{name}-seed{seed}"
    landing, dagster_home = fresh_work(work, data)
    env = build_env()
    result: dict[str, Any] = {
        "leads": leads,
        "seed": seed,
        "dataset": {k: v for k, v in data.items() if k != "path"},
    }
    result["full"] = build("full", landing, work, dagster_home, env)
    if result["full"]["succeeded"] and not full_only:
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
    if result.get("night", {}).get("succeeded"):
        result["same_answers"] = check_same_answers(landing, work, env)
    result["floor"] = floor(Path(data["path"]), work, env)
    if not keep:
        for leftover in ("warehouse", "serving", "landing", "rebuild"):
            shutil.rmtree(work / leftover, ignore_errors=True)
    return result


def check_same_answers(landing: Path, work: Path, env: dict[str, str]) -> dict[str, Any]:
    """A full rebuild of the landing folder after the night (empty warehouse, its own Dagster
    home), then one hash per mart table of both warehouses compared."""
    rebuild_work = work / "rebuild"
    shutil.rmtree(rebuild_work, ignore_errors=True)
    (rebuild_work / "dagster_home").mkdir(parents=True)
    rebuild = build("rebuild", landing, rebuild_work, rebuild_work / "dagster_home", env)
    if not rebuild["succeeded"]:
        return {"result": "rebuild failed", "rebuild": rebuild}
    verdict = same_answers.compare(
        work / "warehouse" / "funnel.duckdb", rebuild_work / "warehouse" / "funnel.duckdb"
    )
    differing = ", ".join(verdict["differing_tables"]) or "none"
    say(
        f"  same answers: {verdict['result']} ({verdict['mart_tables']} mart tables; "
        f"differing: {differing}; hashed in {verdict['hash_seconds']:.1f} s)"
    )
    return {**verdict, "rebuild": rebuild}


def bench_engine(
    engine: str, name: str, leads: int, seed: int, cache_dir: Path, work_root: Path, keep: bool
) -> dict[str, Any]:
    """The full build of the scale's canonical world on ``engine`` (not duckdb)."""
    say(f"scale {name} on {engine}: {leads:,} leads")
    data = dataset(cache_dir, name, leads, seed)
    work = work_root / f"{name}-seed{seed}-{engine}"
    landing, dagster_home = fresh_work(work, data)
    result: dict[str, Any] = {"leads": leads, "seed": seed, "engine": engine}
    with engine_environment(engine) as variables:
        env = dict(build_env(), **variables)
        result["full"] = build("full", landing, work, dagster_home, env, target=engine)
    if not keep:
        for leftover in ("warehouse", "serving", "landing"):
            shutil.rmtree(work / leftover, ignore_errors=True)
    return result


def bench_shape(
    shape: str, name: str, leads: int, seed: int, cache_dir: Path, work_root: Path, keep: bool
) -> dict[str, Any]:
    """The full build of a scale's world landed in a native shape (no night, no floor)."""
    say(f"scale {name}, {shape} shape: {leads:,} leads")
    canonical = dataset(cache_dir, name, leads, seed)
    data = shaped_dataset(cache_dir, name, leads, seed, shape, canonical)
    work = work_root / f"{name}-seed{seed}-{shape}"
    landing, dagster_home = fresh_work(work, data)
    result: dict[str, Any] = {
        "leads": leads,
        "seed": seed,
        "shape": shape,
        "dataset": {k: v for k, v in data.items() if k != "path"},
        "full": build("full", landing, work, dagster_home, shape_env(shape)),
    }
    if not keep:
        for leftover in ("warehouse", "serving", "landing"):
            shutil.rmtree(work / leftover, ignore_errors=True)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scales", default="S", help="comma-separated: XS, S, M, L or NAME=LEADS (default: S)"
    )
    parser.add_argument(
        "--shapes",
        default=",".join(SHAPES),
        help=f"comma-separated landing shapes built at each scale: {', '.join(SHAPES)} "
        "(default: both)",
    )
    parser.add_argument(
        "--engines",
        default="duckdb",
        help="comma-separated engines to build each scale's canonical world on: duckdb, "
        "postgres, spark (default: duckdb; the others add one full build each)",
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
        "--full-only",
        action="store_true",
        help="only the full build at each scale (no night, no same-answers rebuild): "
        "to compare the shapes' full builds quickly",
    )
    parser.add_argument(
        "--prepare", action="store_true", help="only generate (and cache) the datasets, then exit"
    )
    args = parser.parse_args(argv)
    if args.markdown:
        print(report.markdown(json.loads(args.markdown.read_text())))
        return 0
    scales = parse_scales(args.scales)
    shapes = parse_shapes(args.shapes)
    engines = parse_engines(args.engines)
    cache_dir = args.cache_dir.resolve()
    work_root = (args.work_dir or cache_dir / "work").resolve()
    cache_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(UTC)
    say(
        f"scales {', '.join(f'{n}={v:,}' for n, v in scales)}; shapes {', '.join(shapes)}; "
        f"engines {', '.join(engines)}; cache {cache_dir}"
    )
    if args.prepare:
        for name, leads in scales:
            canonical = dataset(cache_dir, name, leads, args.seed)
            for shape in (s for s in shapes if s != "canonical"):
                shaped_dataset(cache_dir, name, leads, args.seed, shape, canonical)
        return 0
    results: dict[str, dict[str, Any]] = {}
    native: dict[str, dict[str, dict[str, Any]]] = {s: {} for s in shapes if s != "canonical"}
    on_engines: dict[str, dict[str, dict[str, Any]]] = {e: {} for e in engines if e != "duckdb"}
    stack: dict[str, Any] = {}
    for name, leads in scales:
        if "canonical" in shapes:
            results[name] = bench_scale(
                name, leads, args.seed, cache_dir, work_root, args.keep, full_only=args.full_only
            )
            if not stack and results[name]["full"]["succeeded"]:
                dbt_target = work_root / f"{name}-seed{args.seed}" / "full" / "dbt_target"
                stack = stack_floor(dbt_target, work_root, build_env())
        for engine, by_scale in on_engines.items():
            by_scale[name] = bench_engine(
                engine, name, leads, args.seed, cache_dir, work_root, args.keep
            )
        for shape, by_scale in native.items():
            by_scale[name] = bench_shape(
                shape, name, leads, args.seed, cache_dir, work_root, args.keep
            )
    figures = {
        "version": RESULT_VERSION,
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine(),
        "duckdb_settings": duckdb_config(),
        "targets": report.TARGETS,
        "scales": results,
        "stack_floor": stack or None,
        "shapes": native,
        "engines": report.engine_times(engines, results, on_engines),
        "evaluation": report.evaluate(results, native, stack),
        "methods": report.METHODS,
    }
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(json.dumps(figures, indent=2) + "\n")
    print(report.summary(figures, args.results))
    # only the phases that ran count (--full-only builds no night)
    phases = [r[p] for r in results.values() for p in ("full", "night") if p in r]
    phases += [r["full"] for by_scale in native.values() for r in by_scale.values()]
    phases += [r["full"] for by_scale in on_engines.values() for r in by_scale.values()]
    phases += [r["same_answers"]["rebuild"] for r in results.values() if "same_answers" in r]
    failed = not all(p.get("succeeded") for p in phases)
    # issue 17: a night whose marts differ from the full rebuild's is a wrong answer
    differ = [
        name
        for name, r in results.items()
        if r.get("same_answers", {}).get("result") not in (None, "identical")
    ]
    for name in differ:
        print(
            f"bench: at {name} the night's marts are not those of a full rebuild: "
            f"{report.same_answers_verdict(results[name])}",
            file=sys.stderr,
        )
    return 1 if failed or differ else 0


if __name__ == "__main__":
    sys.exit(main())
