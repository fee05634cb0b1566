"""Run MetricFlow's ``mf`` against a warehouse or serving file, read-only and offline.

``mf`` reads ``target/semantic_manifest.json`` (written by every ``dbt parse``) and connects
through the ``metrics`` target of profiles.yml: an in-memory DuckDB that attaches the file
read-only under the database name the manifest's relations carry. So a query never takes the
build file's write lock and can read the serving file while BI tools read it too.

Telemetry is off (``DO_NOT_TRACK``, ``DBT_SEND_ANONYMOUS_USAGE_STATS``). Each ``mf`` command
also asks PyPI once an hour whether a newer version exists (1 s timeout, errors ignored): no
setting turns that off, and offline it costs at most that second.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from orchestration.settings import PROJECT_DIR
from orchestration.warehouse import marts_file_of

SEMANTIC_MANIFEST = PROJECT_DIR / "target" / "semantic_manifest.json"


class MetricFlowError(RuntimeError):
    """``mf`` failed; the message holds its output."""


def mf_executable() -> str:
    """The ``mf`` next to this Python, so an un-activated virtualenv still finds it."""
    candidate = Path(sys.executable).parent / "mf"
    return str(candidate) if candidate.exists() else "mf"


def manifest_database(manifest: Path = SEMANTIC_MANIFEST) -> str:
    """The database name the semantic manifest's relations use (on DuckDB ``marts_db``, the
    marts file's name in the build)."""
    data = json.loads(manifest.read_text(encoding="utf-8"))
    for model in data.get("semantic_models", []):
        database = model.get("node_relation", {}).get("database")
        if database:
            return str(database)
    return "funnel"


def ensure_semantic_manifest() -> Path:
    """Parse the dbt project when no semantic manifest exists yet."""
    if not SEMANTIC_MANIFEST.exists():
        from orchestration.dbt_project import parse_project

        parse_project()
    return SEMANTIC_MANIFEST


def mf_environment(duckdb_file: Path) -> dict[str, str]:
    """The environment for ``mf``: the ``metrics`` target reading ``duckdb_file`` read-only."""
    env = dict(os.environ)
    env.update(
        {
            "DO_NOT_TRACK": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_PROFILES_DIR": str(PROJECT_DIR),
            "DBT_TARGET": "metrics",
            "FUNNEL_METRICS_FILE": str(marts_file_of(duckdb_file).resolve()),
            "FUNNEL_METRICS_DATABASE": manifest_database(ensure_semantic_manifest()),
            # dbt's profile still names FUNNEL_WAREHOUSE (the local target); any value will do
            "FUNNEL_WAREHOUSE": env.get("FUNNEL_WAREHOUSE", str(duckdb_file.resolve())),
        }
    )
    return env


def run_mf(arguments: list[str], duckdb_file: Path, *, capture: bool = False) -> str:
    """Run ``mf <arguments>`` in the project folder; the output when ``capture``."""
    if not duckdb_file.exists():
        raise MetricFlowError(f"{duckdb_file} does not exist: build or publish first")
    completed = subprocess.run(
        [mf_executable(), *arguments],
        cwd=PROJECT_DIR,
        env=mf_environment(duckdb_file),
        capture_output=capture,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        output = (completed.stdout or "") + (completed.stderr or "")
        raise MetricFlowError(f"mf {' '.join(arguments)} failed ({completed.returncode}) {output}")
    return completed.stdout or ""


def query(
    duckdb_file: Path,
    metrics: list[str],
    group_by: list[str] | None = None,
    *,
    where: str | None = None,
    order: list[str] | None = None,
) -> list[dict[str, str]]:
    """``mf query`` as rows (column name -> text value, as MetricFlow's CSV writes them)."""
    with tempfile.TemporaryDirectory(prefix="funnel-mf-") as folder:
        out = Path(folder) / "result.csv"
        arguments = ["query", "--metrics", ",".join(metrics), "--csv", str(out), "--quiet"]
        if group_by:
            arguments += ["--group-by", ",".join(group_by)]
        if where:
            arguments += ["--where", where]
        if order:
            arguments += ["--order", ",".join(order)]
        run_mf(arguments, duckdb_file, capture=True)
        with out.open(encoding="utf-8", newline="") as handle:
            return list(csv.DictReader(handle))
