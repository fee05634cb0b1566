"""The whole pipeline through Dagster: Definitions load, every asset and every dbt test passes."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from tests.conftest import SampleBuild


def test_definitions_load(dbt_manifest: Path) -> None:
    from orchestration.definitions import defs

    repository = defs.get_repository_def()
    keys = {key.to_user_string() for key in repository.asset_graph.get_all_asset_keys()}
    assert "raw/crm/leads" in keys and "staging/stg_crm__leads" in keys
    assert "marts/fct_funnel" in keys and "serving/funnel_duckdb" in keys
    assert defs.get_job_def("nightly_build") is not None
    assert defs.get_schedule_def("nightly_build_schedule") is not None
    assert defs.get_sensor_def("landing_folder_sensor") is not None


def test_dbt_sources_are_wired_to_the_ingestion_assets(dbt_manifest: Path) -> None:
    from orchestration.assets.dbt import funnel_dbt_assets

    upstream = {key.to_user_string() for key in funnel_dbt_assets.dependency_keys}
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
