"""The dbt CLI resource skips two start-up costs of dagster-dbt (orchestration/defs/dbt_cli.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import dbt_executable
from orchestration.defs.dbt_cli import FILE_LOG_LEVEL, FunnelDbtCliResource, file_log_level
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


def test_dbt_s_log_file_keeps_info_events_and_the_environment_is_restored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DBT_LOG_LEVEL_FILE", raising=False)
    (tmp_path / "dbt_project.yml").write_text(
        'name: tiny\nversion: "1.0"\nconfig-version: 2\nprofile: tiny\n', encoding="utf-8"
    )
    env = {"DBT_LOG_FORMAT": "json", "DBT_LOG_PATH": str(tmp_path / "logs")}
    with file_log_level():
        assert os.environ["DBT_LOG_LEVEL_FILE"] == FILE_LOG_LEVEL == "info"
        # a real dbt process started with this environment, as dagster-dbt starts the build
        process = subprocess.Popen(
            [dbt_executable(), "deps", "--project-dir", str(tmp_path)],
            env=dict(os.environ, **env),
            stdout=subprocess.DEVNULL,
        )
    # restored once the process started: `dbt parse` digests the DBT_* environment
    assert "DBT_LOG_LEVEL_FILE" not in os.environ
    assert process.wait(timeout=120) == 0
    lines = (tmp_path / "logs" / "dbt.log").read_text(encoding="utf-8").splitlines()
    levels = {json.loads(line)["info"]["level"] for line in lines}
    assert "info" in levels and "debug" not in levels  # dbt logs its arguments at debug

    # an engineer's own setting wins, and stays
    monkeypatch.setenv("DBT_LOG_LEVEL_FILE", "debug")
    with file_log_level():
        assert os.environ["DBT_LOG_LEVEL_FILE"] == "debug"
    assert os.environ["DBT_LOG_LEVEL_FILE"] == "debug"
