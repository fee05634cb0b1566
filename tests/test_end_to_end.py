"""The whole pipeline through Dagster: Definitions load, every asset and every dbt test passes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import dagster as dg

from orchestration.settings import PROJECT_DIR
from tests.conftest import SampleBuild

#: imports every module of orchestration/ in a fresh interpreter: none may start dbt or
#: change an environment variable (the definitions load only when asked)
IMPORT_EVERYTHING = r"""
import importlib, os, pkgutil, subprocess

class NoDbt(subprocess.Popen):
    def __init__(self, args, *more, **options):
        assert "dbt" not in str(args), f"dbt started at import: {args}"
        super().__init__(args, *more, **options)

subprocess.Popen = NoDbt
before = dict(os.environ)
import orchestration
names = [m.name for m in pkgutil.walk_packages(orchestration.__path__, "orchestration.")]
for name in names:
    importlib.import_module(name)
    changed = {k for k in set(before) | set(os.environ) if before.get(k) != os.environ.get(k)}
    assert not changed, f"importing {name} changed {changed}"
print(len(names), "modules")
"""


def test_importing_any_module_runs_no_dbt_and_changes_no_environment() -> None:
    quiet = ("DO_NOT_TRACK", "DBT_SEND_ANONYMOUS_USAGE_STATS", "DAGSTER_DISABLE_TELEMETRY")
    env = {k: v for k, v in os.environ.items() if k not in quiet and not k.startswith("FUNNEL_")}
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERYTHING],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout.split()[0]) > 30


def test_definitions_load(dbt_manifest: Path) -> None:
    from orchestration.definitions import defs

    definitions = defs()  # what `dagster dev -m orchestration.definitions` loads
    repository = definitions.get_repository_def()
    keys = {key.to_user_string() for key in repository.asset_graph.get_all_asset_keys()}
    assert "raw/crm/leads" in keys and "staging/stg_crm__leads" in keys
    assert "marts/fct_funnel" in keys and "serving/funnel_duckdb" in keys
    job = definitions.resolve_job_def("nightly_build")
    assert job.asset_layer.selected_asset_keys == repository.asset_graph.get_all_asset_keys()
    assert definitions.resolve_schedule_def("nightly_build_schedule").job_name == job.name
    assert definitions.resolve_sensor_def("landing_folder_sensor").job_name == job.name


def test_dbt_sources_are_wired_to_the_ingestion_assets(dbt_manifest: Path) -> None:
    from orchestration.defs.assets.dbt import funnel_dbt_assets

    upstream = {key.to_user_string() for key in funnel_dbt_assets().dependency_keys}
    assert "raw/crm/deals" in upstream and "raw/payments/invoices" in upstream


def test_materializing_everything_succeeds_with_every_dbt_test_passing(
    sample_build: SampleBuild,
) -> None:
    result = sample_build.result
    assert isinstance(result, dg.ExecuteInProcessResult)
    failed_steps = [e.step_key for e in result.all_events if e.is_step_failure]
    assert result.success, f"failed steps: {failed_steps}"
    checks = [
        e.event_specific_data
        for e in result.all_events
        if isinstance(e.event_specific_data, dg.AssetCheckEvaluation)
    ]
    failed = [c.check_name for c in checks if not c.passed]  # type: ignore[union-attr]
    assert len(checks) > 20 and failed == []


def test_every_landed_row_is_loaded_or_rejected(sample_build: SampleBuild) -> None:
    problems = sample_build.query(
        "select source_file from raw._load_manifest "
        "where rows_in != rows_loaded + rows_rejected + continuation_lines"
    )
    assert problems == []
    manifest = sample_build.query(
        "select count(*), sum(rows_loaded) from raw._load_manifest "
        "where status in ('loaded', 'rejected')"
    )
    files = [p for p in sample_build.landing.rglob("*.csv")]
    assert manifest[0][0] == len(files)


def test_the_oracles_read_exactly_the_rows_the_ingestion_loaded(
    sample_build: SampleBuild,
) -> None:
    """tests/oracle_inputs.py, which every oracle reads the landed files through, keeps the
    rows the loader kept, each at the file and line raw records for it."""
    from orchestration.landing_contract import ENTITIES
    from tests.oracle_inputs import landed_rows

    for entity in ENTITIES:
        read = sorted(row.lineage for row in landed_rows(sample_build.landing, entity.path))
        loaded = sample_build.query(
            f"select _source_file, _source_line from raw.{entity.raw_table} order by 1, 2"
        )
        assert read == loaded, entity.path
        assert read, f"{entity.path}: the sample has no rows to compare"
