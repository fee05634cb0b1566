"""dbt's partial-parse state is kept per warehouse (orchestration/parse_state.py): building
another warehouse from the same checkout no longer makes the next build of this one re-parse
the whole project. Real ``dbt parse`` runs (``parse_project``, as ``funnel build`` calls it)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration.dbt_project import parse_project
from orchestration.parse_state import PARTIAL_PARSE_FILE, parse_state_dir
from tests.conftest import parse_for_this_worker

FULL = "Unable to do partial parsing"


@pytest.fixture(scope="module", autouse=True)
def restore_the_default_manifest() -> Iterator[None]:
    """These parses copy manifests of other databases (and of the spark target) to target/,
    where `mf` and the definitions read them: parse the default build again afterwards."""
    yield
    parse_for_this_worker()


def parse(warehouse: Path, capfd: pytest.CaptureFixture[str]) -> str:
    capfd.readouterr()
    manifest = parse_project(warehouse, quiet=False)
    output = capfd.readouterr().out
    # the definitions read the manifest of the last parse, with this warehouse's database
    nodes = json.loads(manifest.read_text())["nodes"].values()
    assert {node["database"] for node in nodes if node["resource_type"] == "model"} == {
        warehouse.stem
    }
    return output


def test_a_warehouse_keeps_its_partial_parse_state_across_other_builds(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    first = tmp_path / "one" / "nightly.duckdb"
    other = tmp_path / "two" / "other.duckdb"
    assert parse_state_dir(first) != parse_state_dir(other)

    parse(first, capfd)  # a new warehouse: a full parse (or partial, if state was left over)
    assert (parse_state_dir(first) / PARTIAL_PARSE_FILE).exists()
    assert FULL in parse(other, capfd)  # a path never parsed before has no state of its own

    again = parse(first, capfd)

    assert FULL not in again
    # dbt's own account of the parse: no file of the project parsed again
    perf = json.loads((parse_state_dir(first) / "perf_info.json").read_text())
    assert perf["is_partial_parse_enabled"] and perf["parsed_path_count"] == 0
    # neither warehouse file was opened
    assert not first.exists() and not other.exists()


def test_a_spark_build_parses_without_its_folder_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`funnel build --target spark` parses before the handover sets FUNNEL_SPARK_DIR: the parse
    takes the default folder (next to the warehouse) itself, where it used to fail."""
    from orchestration.engines.spark_settings import SPARK_DIR_VARIABLE
    from orchestration.engines.targets import TARGET_VARIABLE

    monkeypatch.setenv(TARGET_VARIABLE, "spark")
    monkeypatch.delenv(SPARK_DIR_VARIABLE, raising=False)
    warehouse = tmp_path / "warehouse" / "funnel.duckdb"
    manifest = json.loads(parse_project(warehouse).read_text())
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert {n["config"]["materialized"] for n in models} <= {"table", "view"}
    assert not warehouse.exists()
