"""dbt's partial-parse state is kept per warehouse (orchestration/parse_state.py): building
another warehouse from the same checkout no longer makes the next build of this one re-parse
the whole project. Real ``dbt parse`` runs (``parse_project``, as ``funnel build`` calls it)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration.dbt_project import parse_project
from orchestration.parse_state import PARTIAL_PARSE_FILE, parse_state_dir

FULL = "Unable to do partial parsing"


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
