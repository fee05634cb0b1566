"""dbt's unit tests (``unit_tests:`` in the model YAML files) run here, not in the nightly build.

They check each model's SQL on fixed input rows, so they say nothing new about a night's data;
the nightly ``dbt build`` excludes them (``--exclude-resource-type unit_test``) and this test
runs every one of them against a copy of the sample warehouse (dbt needs the models' parents to
exist to know their column types).
"""

from __future__ import annotations

import json
from pathlib import Path

from orchestration.warehouse import copy_warehouse
from tests.conftest import SampleBuild
from tests.dbt_cli import run_dbt


def test_every_dbt_unit_test_passes(sample_build: SampleBuild, tmp_path: Path) -> None:
    warehouse = tmp_path / "funnel.duckdb"
    copy_warehouse(sample_build.warehouse, warehouse)
    target = tmp_path / "target"
    done = run_dbt(["test", "--select", "test_type:unit"], warehouse, tmp_path)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]

    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    declared = {uid for uid in manifest["unit_tests"]}
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    ran = {r["unique_id"]: r["status"] for r in results}
    assert declared, "the project declares no unit test"
    assert set(ran) == declared
    assert set(ran.values()) == {"pass"}
