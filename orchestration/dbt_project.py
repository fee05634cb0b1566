"""The dbt project as Dagster sees it, and making sure its manifest exists."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from dagster_dbt import DbtProject

from orchestration.settings import PROJECT_DIR, quiet_telemetry

quiet_telemetry()

dbt_project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR)


def dbt_executable() -> str:
    """The dbt next to this Python, so an un-activated virtualenv still finds it."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def parse_project(quiet: bool = True) -> Path:
    """Run ``dbt parse`` to (re)write target/manifest.json; returns its path."""
    env = dict(os.environ)
    # parsing never opens the warehouse, but profiles.yml needs the variable to render
    env.setdefault("FUNNEL_WAREHOUSE", str(PROJECT_DIR / "data" / "warehouse" / "funnel.duckdb"))
    args = [dbt_executable(), "parse", "--project-dir", str(PROJECT_DIR)]
    args += ["--profiles-dir", str(PROJECT_DIR)]
    if quiet:
        args.append("--quiet")
    subprocess.run(args, check=True, env=env, cwd=PROJECT_DIR)
    return dbt_project.manifest_path


def ensure_manifest() -> Path:
    """Parse once when there is no manifest yet (a fresh clone, a test run)."""
    if not dbt_project.manifest_path.exists():
        parse_project()
    return dbt_project.manifest_path
