"""The dbt project as Dagster sees it, and preparing its manifest.

Nothing happens at import. ``dbt_project()`` builds the ``DbtProject`` on first use and, under
``dagster dev`` only, re-parses it (``prepare_if_dev()``, as dagster-dbt documents). Everywhere
else the manifest must exist before the definitions load: the ``funnel`` command parses
explicitly before each build (``parse_project``), the test session parses once, and a deployment
runs ``dagster-dbt project prepare-and-package --file orchestration/dbt_project.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.engines.spark_settings import SPARK_DIR_VARIABLE, spark_dir
from orchestration.engines.targets import DUCKDB, SPARK, TARGET_VARIABLE, normalize_target
from orchestration.idle_systems import IDLE_SYSTEMS_VARIABLE
from orchestration.parse_inputs import (
    forget_parse,
    parse_inputs_digest,
    parse_is_current,
    record_parse,
)
from orchestration.parse_seed import (
    Seeded,
    forget_warehouse,
    remember_warehouse,
    seed_parse_state,
)
from orchestration.parse_state import copy_file_atomically, parse_state_dir
from orchestration.settings import PROJECT_DIR, warehouse_path


@cache
def dbt_project() -> DbtProject:
    """The repository's dbt project (dbt_project.yml and profiles.yml at the root)."""
    project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)
    project.prepare_if_dev()
    return project


def dbt_executable() -> str:
    """The dbt next to this Python, so an un-activated virtualenv still finds it."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def _parse_environment(warehouse: Path | None) -> dict[str, str]:
    """The environment ``dbt parse`` runs with for ``warehouse`` (default: FUNNEL_WAREHOUSE's)."""
    env = dict(os.environ)
    env["FUNNEL_WAREHOUSE"] = str(warehouse or env.get("FUNNEL_WAREHOUSE") or warehouse_path())
    if env.get(TARGET_VARIABLE) == SPARK:
        # profiles.yml's spark target names the session's folder, next to the warehouse by
        # default (the handover sets it the same way before dbt builds)
        env.setdefault(SPARK_DIR_VARIABLE, str(spark_dir(Path(env["FUNNEL_WAREHOUSE"]))))
    return env


def current_parse_of(warehouse: Path, target: str) -> Path | None:
    """The manifest ``parse_project`` wrote for ``warehouse`` and the dbt ``target``, if it was
    parsed from exactly the project's files and environment of now; else None. Unlike
    target/manifest.json, no build of another warehouse or target overwrites it."""
    env = _parse_environment(warehouse)
    state = parse_state_dir(warehouse, target)
    manifest = state / "manifest.json"
    if manifest.exists() and parse_is_current(state, parse_inputs_digest(PROJECT_DIR, env)):
        return manifest
    return None


def parse_project(
    warehouse: Path | None = None,
    *,
    quiet: bool = True,
    say: Callable[[str], object] | None = None,
) -> Path:
    """Run ``dbt parse`` to (re)write target/manifest.json; returns its path.

    ``warehouse`` is the file the next ``dbt build`` will use: profiles.yml reads it from
    ``FUNNEL_WAREHOUSE``, and dbt keeps its partial-parse state only while the profile it was
    parsed with stays the same. The parse runs in the warehouse's own state folder
    (``orchestration/parse_state.py``), so it is partial whenever this warehouse was parsed
    before, whatever other warehouse was built in between, and the build reuses it. The
    manifests are then copied to target/ (atomically), where the definitions and ``mf`` read
    them (manifest.json only when the parse left no idle native system out:
    ``orchestration/idle_systems.py``). Parsing never opens the warehouse.

    When nothing ``dbt parse`` reads has changed since this warehouse's last parse (files,
    versions, environment: ``orchestration/parse_inputs.py``), the parse is skipped and the saved
    manifest is used. A warehouse without a state starts from another's of the same file name
    (``orchestration/parse_seed.py``): its parse is partial, or skipped when that one was parsed
    from the same inputs but the path. ``say`` (if given) is told which happened.
    """
    env = _parse_environment(warehouse)
    state = parse_state_dir(Path(env["FUNNEL_WAREHOUSE"]))
    digest = parse_inputs_digest(PROJECT_DIR, env)
    if parse_is_current(state, digest):
        if say:
            say("dbt project unchanged since this warehouse's last parse: parse skipped")
    else:
        forget_parse(state)
        forget_warehouse(state)
        target = normalize_target(env.get(TARGET_VARIABLE) or DUCKDB)
        inputs_but_path = parse_inputs_digest(PROJECT_DIR, env, but=("FUNNEL_WAREHOUSE",))
        if seed_parse_state(env, target, inputs_but_path, say=say) is not Seeded.WHOLE:
            if say:
                say("parsing the dbt project ...")
            args = [dbt_executable(), "parse", "--project-dir", str(PROJECT_DIR)]
            args += ["--profiles-dir", str(PROJECT_DIR), "--target-path", str(state)]
            # named as the build names it: dbt keeps a partial-parse state only for the same
            # --target argument (a parse without it made every first build parse in full again)
            args += ["--target", target]
            if quiet:
                args.append("--quiet")
            subprocess.run(args, check=True, env=env, cwd=PROJECT_DIR)
        record_parse(state, digest)
        remember_warehouse(state, env["FUNNEL_WAREHOUSE"], inputs_but_path)
    manifest_path = dbt_project().manifest_path
    names = ["semantic_manifest.json"]
    if not env.get(IDLE_SYSTEMS_VARIABLE):
        # a parse that left idle native systems out stays in the warehouse's state folder (the
        # build reads it there): the definitions of `dagster dev` and of a build without that
        # setting read target/manifest.json, and dbt would build nodes missing from it
        names.insert(0, "manifest.json")
    for name in names:
        if (state / name).exists():
            copy_file_atomically(state / name, manifest_path.parent / name)
    return manifest_path
