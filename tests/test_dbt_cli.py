"""The dbt CLI resource skips two start-up costs of dagster-dbt (orchestration/defs/dbt_cli.py)."""

from __future__ import annotations

import re
import subprocess

from dagster_dbt import DbtCliResource

from orchestration.dbt_project import dbt_executable
from orchestration.defs.dbt_cli import FunnelDbtCliResource
from orchestration.settings import PROJECT_DIR


def test_the_overridden_methods_still_exist_in_dagster_dbt() -> None:
    """If an upgrade renames them, the overrides would silently stop saving anything."""
    assert isinstance(
        DbtCliResource.__dict__.get("_cli_version"),
        type(FunnelDbtCliResource.__dict__["_cli_version"]),
    )
    assert callable(DbtCliResource.__dict__.get("_initialize_dbt_core_adapter"))


def test_the_version_is_the_one_dbt_reports_and_no_adapter_is_made() -> None:
    resource = FunnelDbtCliResource(project_dir=str(PROJECT_DIR), dbt_executable=dbt_executable())
    reported = subprocess.run(
        [dbt_executable(), "--version"], capture_output=True, text=True, check=True
    ).stdout
    match = re.search(r"(\d+\.\d+\.\d+)", reported)
    assert match is not None
    assert str(resource._cli_version) == match.group(1)
    assert resource._initialize_dbt_core_adapter(["build"]) is None
