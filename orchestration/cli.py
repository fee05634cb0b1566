"""``funnel``: generate sample data, build the warehouse, run the demo.

funnel generate --leads 5000 --seed 7 --output data/landing
funnel build [--landing DIR] [--warehouse FILE] [--target duckdb|postgres|spark]
funnel demo
funnel retract <file path or sha256>
funnel metrics query --metrics win_rate --group-by metric_time__quarter   (any mf command)
funnel docs [--port 8080]
funnel report [--serve 8000]
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from datetime import date
from pathlib import Path

from orchestration import settings

DEMO_LEADS = 2000


def _progress(message: str) -> None:
    print(message, flush=True)


def _setup_progress_output() -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("%(message)s"))
    progress = logging.getLogger("funnel.progress")
    progress.handlers[:] = [handler]
    progress.setLevel(logging.INFO)
    progress.propagate = False


def cmd_generate(args: argparse.Namespace) -> int:
    from orchestration.sample_data import generate_landing, generate_next_night
    from orchestration.sample_data.formats import parse_formats

    output = Path(args.output).resolve() if args.output else settings.landing_dir()
    formats = parse_formats(args.format)
    if args.next_night:
        if formats != ["canonical"]:
            print("--next-night writes the canonical shape only", file=sys.stderr)
            return 2
        summary = generate_next_night(output, progress=_progress)
    else:
        summary = generate_landing(
            output,
            leads=args.leads,
            seed=args.seed,
            start_date=date.fromisoformat(args.start_date),
            days=args.days,
            extracts=args.extracts,
            progress=_progress,
            formats=formats,
        )
    total = sum(summary.rows.values())
    print(
        f"wrote {len(summary.files)} canonical files, {total:,} rows, to {output} ({args.format})"
    )
    return 0


def run_build(
    landing: Path,
    warehouse: Path,
    serving: Path,
    *,
    full_refresh: bool = False,
    target: str = "duckdb",
) -> bool:
    """Run the nightly_build job (lock, Dagster instance, dbt parse, run); print its summary."""
    _setup_progress_output()
    from orchestration.runner.nightly import run_build as run_nightly_build

    summary = run_nightly_build(
        landing, warehouse, serving, full_refresh=full_refresh, progress=_progress, target=target
    )
    _progress("\nrun summary:")
    for line in summary.lines():
        _progress(f"  {line}")
    return summary.success


def print_counts(warehouse: Path) -> None:
    from orchestration.warehouse_summary import row_counts_by_layer

    for layer, tables in row_counts_by_layer(warehouse).items():
        print(f"\n{layer}:")
        for table, rows in tables:
            print(f"  {table:<48} {rows:>12,}")
    print(f"\nwarehouse: {warehouse}")


def build_and_report(
    landing: Path,
    warehouse: Path,
    serving: Path,
    *,
    full_refresh: bool = False,
    what: str,
    target: str = "duckdb",
) -> int:
    """Build, print the row counts and the outcome; the exit code (3: another build runs)."""
    from orchestration.runner.lock import WarehouseBusy

    try:
        ok = run_build(landing, warehouse, serving, full_refresh=full_refresh, target=target)
    except WarehouseBusy as busy:
        print(f"error: {busy}", file=sys.stderr)
        return 3
    if target != "duckdb":  # issue 15: DuckDB holds raw only; the marts are on the engine
        print(f"{what} {'succeeded' if ok else 'FAILED (see above)'}: marts on {target}")
        return 0 if ok else 1
    print_counts(warehouse)
    print(f"serving file: {serving / 'funnel.duckdb'}")
    if ok and (serving / "report" / "index.html").exists():
        print(f"report: {serving / 'report' / 'index.html'} (`funnel report --serve 8000`)")
    print(f"{what} succeeded" if ok else f"{what} FAILED (see above)")
    return 0 if ok else 1


def cmd_build(args: argparse.Namespace) -> int:
    landing = Path(args.landing).resolve() if args.landing else settings.landing_dir()
    warehouse = Path(args.warehouse).resolve() if args.warehouse else settings.warehouse_path()
    serving = Path(args.serving).resolve() if args.serving else settings.serving_dir()
    if not landing.is_dir():
        print(f"error: landing folder {landing} does not exist", file=sys.stderr)
        return 2
    from orchestration.engines.targets import normalize_target

    return build_and_report(
        landing,
        warehouse,
        serving,
        full_refresh=args.full_refresh,
        what="build",
        target=normalize_target(args.target),
    )


def cmd_demo(args: argparse.Namespace) -> int:
    landing = settings.landing_dir()
    has_files = landing.is_dir() and any(
        p.is_file() for pattern in ("*.csv*", "*.jsonl*") for p in landing.rglob(pattern)
    )
    if not has_files:
        from orchestration.sample_data import generate_landing
        from orchestration.sample_data.formats import parse_formats

        _progress(
            f"landing folder is empty: generating {args.leads} sample leads in {landing} "
            f"({args.format})"
        )
        generate_landing(
            landing,
            leads=args.leads,
            seed=42,
            progress=_progress,
            formats=parse_formats(args.format),
        )
    native_crm = [
        f.split("-")[0] for f in args.format.split(",") if f.startswith(("salesforce", "hubspot"))
    ]
    if native_crm:  # the generated touchpoints carry the native CRM's lead ids
        os.environ.setdefault("FUNNEL_TOUCHPOINTS_LEAD_SYSTEM", native_crm[0])
    return build_and_report(
        landing, settings.warehouse_path(), settings.serving_dir(), what="demo build"
    )


def cmd_retract(args: argparse.Namespace) -> int:
    import duckdb

    from orchestration.ingestion.retract import RetractError, retract

    landing = Path(args.landing).resolve() if args.landing else settings.landing_dir()
    warehouse = Path(args.warehouse).resolve() if args.warehouse else settings.warehouse_path()
    if not warehouse.exists():
        print(f"error: warehouse {warehouse} does not exist", file=sys.stderr)
        return 2
    try:
        done = retract(
            warehouse, landing, args.file, settings.PROJECT_DIR / "target" / "manifest.json"
        )
    except RetractError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    except duckdb.IOException as busy:
        print(f"error: {warehouse} is open in another process: {busy}", file=sys.stderr)
        return 3
    for retraction in done:
        print("\n".join(retraction.lines()))
    print("the next `funnel build` rebuilds without it; to undo, move the file back and build")
    return 0


def _metrics_file(args: argparse.Namespace) -> Path:
    """The DuckDB file mf and dbt docs read: --file, else the serving file (issue 16)."""
    return Path(args.file).resolve() if args.file else settings.serving_dir() / "funnel.duckdb"


def cmd_metrics(args: argparse.Namespace) -> int:
    from orchestration.semantic.metricflow import MetricFlowError, run_mf

    mf_args = [argument for argument in args.mf_args if argument != "--"]
    try:
        run_mf(mf_args or ["--help"], _metrics_file(args))
    except MetricFlowError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    from orchestration.semantic.docs_site import generate_docs, serve_folder

    duckdb_file = Path(args.file).resolve() if args.file else settings.warehouse_path()
    if not duckdb_file.exists():
        print(f"error: {duckdb_file} does not exist: run `funnel demo` first", file=sys.stderr)
        return 2
    _progress(f"generating dbt's docs site from the project and {duckdb_file} ...")
    folder = generate_docs(duckdb_file)
    _progress(f"docs site in {folder}")
    if args.no_serve:
        return 0
    _progress(f"serving it on http://127.0.0.1:{args.port} (Ctrl-C stops)")
    return serve_folder(folder, args.port)


def cmd_report(args: argparse.Namespace) -> int:
    from orchestration.report.build import build_report

    _setup_progress_output()
    serving = Path(args.serving).resolve() if args.serving else settings.serving_dir()
    if not (serving / "funnel.duckdb").exists():
        print(f"error: no serving file in {serving}: run `funnel demo` first", file=sys.stderr)
        return 2
    report = build_report(serving)
    print(f"report: {report.path}")
    if args.serve:
        from orchestration.semantic.docs_site import serve_folder

        _progress(f"serving it on http://127.0.0.1:{args.serve}/ (Ctrl-C stops)")
        return serve_folder(report.path.parent, args.serve)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="funnel", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)

    gen = sub.add_parser("generate", help="write deterministic sample landing files")
    gen.add_argument("--leads", type=int, default=DEMO_LEADS, help="number of leads")
    gen.add_argument("--seed", type=int, default=42, help="random seed (same seed, same bytes)")
    gen.add_argument("--start-date", default="2025-01-01", help="first day (YYYY-MM-DD)")
    gen.add_argument("--days", type=int, default=365, help="number of days of history")
    gen.add_argument("--extracts", type=int, default=4, help="delta extracts per entity")
    gen.add_argument("--output", help="landing folder (default: FUNNEL_LANDING_DIR)")
    gen.add_argument(
        "--format",
        default="canonical",
        help="shape(s) of the files: canonical, salesforce (Data Export CSVs), "
        "salesforce-loader (snake_case JSON Lines), hubspot (a Fivetran dump); combine with "
        "commas",
    )
    gen.add_argument(
        "--next-night",
        action="store_true",
        help="add one more night of deltas to an existing landing folder",
    )
    gen.set_defaults(func=cmd_generate)

    build = sub.add_parser("build", help="ingest new landed files and dbt build everything")
    build.add_argument("--landing", help="landing folder (default: FUNNEL_LANDING_DIR)")
    build.add_argument("--warehouse", help="DuckDB file (default: FUNNEL_WAREHOUSE)")
    build.add_argument("--serving", help="serving folder (default: FUNNEL_SERVING_DIR)")
    build.add_argument(
        "--full-refresh",
        action="store_true",
        help=(
            "rebuild every incremental model from all of raw (a changed seed, var, model or "
            "macro rebuilds the models it touches by itself)"
        ),
    )
    build.add_argument(
        "--target",
        default=os.environ.get("FUNNEL_TARGET") or "duckdb",
        choices=["duckdb", "postgres", "spark", "local"],
        help="engine dbt builds on: duckdb (default; FUNNEL_TARGET), postgres or spark "
        '(raw is loaded into DuckDB, then handed over; README "Scaling out")',
    )
    build.set_defaults(func=cmd_build)

    demo = sub.add_parser("demo", help="generate sample data if needed, build, print counts")
    demo.add_argument("--leads", type=int, default=DEMO_LEADS, help="leads to generate")
    demo.add_argument("--format", default="canonical", help="shape(s) of generated files")
    demo.set_defaults(func=cmd_demo)

    retract = sub.add_parser(
        "retract", help="take a wrongly landed file's rows out of raw (reversible)"
    )
    retract.add_argument("file", help="the file: path (landing-relative or on disk) or sha256")
    retract.add_argument("--landing", help="landing folder (default: FUNNEL_LANDING_DIR)")
    retract.add_argument("--warehouse", help="DuckDB file (default: FUNNEL_WAREHOUSE)")
    retract.set_defaults(func=cmd_retract)

    metrics = sub.add_parser(
        "metrics",
        help="the semantic layer: run MetricFlow (mf) offline against the serving file",
        description="Runs `mf ARGS` (query, list metrics, list dimensions, validate-configs, ...) "
        "read-only against the serving file, or --file.",
    )
    metrics.add_argument("--file", help="DuckDB file to query (default: the serving file)")
    metrics.add_argument("mf_args", nargs=argparse.REMAINDER, help="arguments for mf")
    metrics.set_defaults(func=cmd_metrics)

    docs = sub.add_parser("docs", help="generate dbt's docs site and serve it on localhost")
    docs.add_argument("--file", help="DuckDB file for the catalog (default: FUNNEL_WAREHOUSE)")
    docs.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    docs.add_argument("--no-serve", action="store_true", help="generate only")
    docs.set_defaults(func=cmd_docs)

    report = sub.add_parser("report", help="(re)build the HTML report from the serving file")
    report.add_argument("--serving", help="serving folder (default: FUNNEL_SERVING_DIR)")
    report.add_argument("--serve", type=int, metavar="PORT", help="then serve it on this port")
    report.set_defaults(func=cmd_report)
    return parser


def main(argv: list[str] | None = None) -> int:
    settings.quiet_telemetry()
    args = build_parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
