"""The stack's floor: what Python, Dagster and dbt cost a build when there is nothing to compute.

Run by ``bench/run.py`` once per run, after the first full build, as its own process. It
measures the two costs every ``funnel build`` pays whatever the data, so that the speed targets
(ratios to the data floor of ``bench/floor.py``) can be read against what the stack alone takes:

1. **imports**: a new Python interpreter importing ``dagster`` and ``dagster_dbt`` (what the
   build process needs before it can define its assets), timed from outside;
2. **dbt**: a dbt project of do-nothing nodes with the DAG of that build's dbt step, generated
   from its ``manifest.json`` and ``run_results.json``: every model, seed and data test the build
   ran, with the same names and the same refs between them; each model ``select 1 as id``
   written as a table through this project's own one-statement ``table`` materialization, each
   seed one row, each data test a query of its model that returns no row. It is parsed once
   (not timed), then ``dbt build`` runs on an empty DuckDB file with the build's settings (two
   dbt threads, the warehouse's DuckDB threads and memory limit) and is timed from outside:
   dbt's start-up, its partial-parse check, and its own cost per node (compiling, events,
   the transaction), with about no SQL work.

Prints one JSON object: seconds per part, their sum, and the nodes built by kind.

    python bench/stack_floor.py --dbt-target DIR --work DIR
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

PROJECT_DIR = Path(__file__).resolve().parent.parent
if str(PROJECT_DIR) not in sys.path:
    sys.path.insert(0, str(PROJECT_DIR))

from bench.measure import duckdb_config  # noqa: E402

MATERIALIZATIONS = PROJECT_DIR / "macros" / "materializations"
#: what a build's node kinds are called in ``run_results.json`` (exposures do not execute)
KINDS = ("model", "seed", "test")

PROJECT_YML = """\
name: stack_floor
version: "0.1.0"
config-version: 2
profile: stack_floor
model-paths: ["models"]
seed-paths: ["seeds"]
macro-paths: ["macros"]
test-paths: ["data-tests"]
flags:
  send_anonymous_usage_stats: false
  use_colors: false
models:
  stack_floor:
    +materialized: table
"""

PROFILES_YML = """\
stack_floor:
  target: duckdb
  outputs:
    duckdb:
      type: duckdb
      path: "{{{{ env_var('STACK_FLOOR_DATABASE') }}}}"
      threads: 2
      settings:
        threads: {threads}
        memory_limit: {memory_limit}
        preserve_insertion_order: false
"""


def null_project(manifest: dict[str, Any], run_results: dict[str, Any], out: Path) -> Counter:
    """Write the do-nothing project of the nodes the build ran; return their count by kind."""
    shutil.rmtree(out, ignore_errors=True)
    for folder in ("models", "seeds", "data-tests"):
        (out / folder).mkdir(parents=True)
    shutil.copytree(MATERIALIZATIONS, out / "macros" / "materializations")
    ran = {result["unique_id"] for result in run_results["results"]}
    counts: Counter = Counter()
    for uid in sorted(ran):
        node = manifest["nodes"].get(uid)
        if node is None or node["resource_type"] not in KINDS:
            continue
        parents = [
            parent.split(".")[-1]
            for parent in node.get("depends_on", {}).get("nodes", [])
            if parent in ran and parent.split(".")[0] in ("model", "seed")
        ]
        refs = "".join(f"-- depends_on: {{{{ ref('{parent}') }}}}\n" for parent in parents)
        kind = node["resource_type"]
        if kind == "model":
            (out / "models" / f"{node['name']}.sql").write_text(f"{refs}select 1 as id\n")
        elif kind == "seed":
            (out / "seeds" / f"{node['name']}.csv").write_text("id\n1\n")
        elif parents:  # a data test: no row from its (first) model
            name = f"test_{counts['test']:04d}"
            query = f"select id from {{{{ ref('{parents[0]}') }}}} where id is null\n"
            (out / "data-tests" / f"{name}.sql").write_text(refs + query)
        else:
            continue
        counts[kind] += 1
    (out / "dbt_project.yml").write_text(PROJECT_YML)
    settings = duckdb_config()  # the build's DuckDB threads and memory limit
    (out / "profiles.yml").write_text(
        PROFILES_YML.format(threads=settings["threads"], memory_limit=settings["memory_limit"])
    )
    return counts


def timed(args: list[str], env: dict[str, str], cwd: Path) -> float:
    """Wall seconds of a command run to completion; raises with its output when it fails."""
    started = time.perf_counter()
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed:\n{done.stdout[-3000:]}{done.stderr}")
    return seconds


def measure(dbt_target: Path, work: Path) -> dict[str, Any]:
    manifest = json.loads((dbt_target / "manifest.json").read_text())
    run_results = json.loads((dbt_target / "run_results.json").read_text())
    project = work / "project"
    counts = null_project(manifest, run_results, project)
    database = work / "stack_floor.duckdb"
    env = dict(
        os.environ,
        DBT_PROFILES_DIR=str(project),
        STACK_FLOOR_DATABASE=str(database),
        DO_NOT_TRACK="1",
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
    )
    # the build's dbt (orchestration.dbt_project.dbt_executable, whose module imports Dagster)
    packaged = Path(sys.executable).parent / "dbt"
    dbt = str(packaged) if packaged.exists() else "dbt"
    imports = timed([sys.executable, "-c", "import dagster, dagster_dbt"], env, project)
    timed([dbt, "parse", "--quiet"], env, project)
    build = timed([dbt, "build", "--quiet"], env, project)
    return {
        "imports_seconds": round(imports, 3),
        "dbt_build_seconds": round(build, 3),
        "stack_floor_seconds": round(imports + build, 3),
        "nodes_by_kind": dict(sorted(counts.items())),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dbt-target", type=Path, required=True, help="a build's dbt target")
    parser.add_argument("--work", type=Path, required=True, help="an empty folder to work in")
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    print(json.dumps(measure(args.dbt_target, args.work)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
