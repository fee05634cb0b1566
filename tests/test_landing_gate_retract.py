"""``funnel retract``: a wrongly landed file's rows leave raw, on the record and reversibly,
and the next build rebuilds without them (incremental models included)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from orchestration.cli import main
from orchestration.ingestion.ingest import ingest_entity
from orchestration.ingestion.landed_files import file_sha256
from orchestration.ingestion.landing_inventory import record_landing_inventory
from orchestration.ingestion.retract import RetractError, retract
from orchestration.landing_contract import ENTITIES
from tests.dbt_cli import run_dbt
from tests.landing_gate import ingest_owners, land, owners_by_file, owners_csv, query

WRONG = owners_csv("W1", "W2")


@pytest.fixture
def loaded(landing: Path, warehouse: Path) -> Path:
    """crm/owners with a right file and a wrong one, both loaded."""
    land(landing, "crm/owners/right.csv", owners_csv("O1"))
    wrong = land(landing, "crm/owners/wrong.csv", WRONG)
    ingest_owners(warehouse, landing)
    assert owners_by_file(warehouse) == {
        "crm/owners/right.csv": ["O1"],
        "crm/owners/wrong.csv": ["W1", "W2"],
    }
    return wrong


def _name_of(how: str, wrong: Path, tmp_path: Path) -> str:
    if how == "relative path":
        return "crm/owners/wrong.csv"
    if how == "sha256":
        return file_sha256(wrong)
    if how == "sha256 prefix":
        return file_sha256(wrong)[:10].upper()
    elsewhere = tmp_path / "a copy somewhere else.csv"
    shutil.copy(wrong, elsewhere)
    return str(elsewhere)


@pytest.mark.parametrize("how", ["relative path", "sha256", "sha256 prefix", "path on disk"])
def test_retract_takes_the_file_out_of_raw_on_the_record(
    how: str, loaded: Path, landing: Path, warehouse: Path, tmp_path: Path
) -> None:
    [done] = retract(warehouse, landing, _name_of(how, loaded, tmp_path))

    assert (done.source_file, done.status, done.rows_removed) == (
        "crm/owners/wrong.csv",
        "loaded",
        2,
    )
    assert done.moved == [("crm/owners/wrong.csv", ".retracted/crm/owners/wrong.csv")]
    assert owners_by_file(warehouse) == {"crm/owners/right.csv": ["O1"]}
    [(status, retracted_at, rows)] = query(
        warehouse,
        "select status, retracted_at, rows_retracted from raw._load_manifest "
        "where source_file = 'crm/owners/wrong.csv'",
    )
    assert (status, rows) == ("retracted", 2) and retracted_at is not None
    # the next build does not load it again: it sits in an ignored hidden folder
    assert [r.status for r in ingest_owners(warehouse, landing).results] == ["skipped"]
    inventory = record_landing_inventory(warehouse, landing)
    assert [f.relative_path for f in inventory.ignored] == [".retracted"]
    assert owners_by_file(warehouse) == {"crm/owners/right.csv": ["O1"]}


def test_landing_the_same_bytes_again_undoes_it(
    loaded: Path, landing: Path, warehouse: Path
) -> None:
    retract(warehouse, landing, "crm/owners/wrong.csv")
    shutil.move(landing / ".retracted/crm/owners/wrong.csv", loaded)
    report = ingest_owners(warehouse, landing)
    assert {r.relative_path: r.status for r in report.results}["crm/owners/wrong.csv"] == "loaded"
    assert owners_by_file(warehouse)["crm/owners/wrong.csv"] == ["W1", "W2"]
    assert query(
        warehouse,
        "select status from raw._load_manifest where source_file = 'crm/owners/wrong.csv' "
        "order by loaded_at",
    ) == [("retracted",), ("loaded",)]
    assert report.accounting_problems == []


def test_every_copy_of_the_bytes_in_the_entity_is_moved_aside(
    loaded: Path, landing: Path, warehouse: Path
) -> None:
    shutil.copy(loaded, landing / "crm/owners/wrong again.csv")
    land(landing, "crm/leads/same bytes, other entity.csv", WRONG)  # not an owners file
    [done] = retract(warehouse, landing, "crm/owners/wrong.csv")
    assert sorted(done.moved) == [
        ("crm/owners/wrong again.csv", ".retracted/crm/owners/wrong again.csv"),
        ("crm/owners/wrong.csv", ".retracted/crm/owners/wrong.csv"),
    ]
    assert (landing / "crm/leads/same bytes, other entity.csv").exists()


def test_a_rejected_file_can_be_retracted_and_is_tried_again(
    landing: Path, warehouse: Path
) -> None:
    bad = land(landing, "crm/owners/bad.csv", b"owner_id,name\nO1,Anna\nO2,Bob\n")
    [first] = ingest_owners(warehouse, landing).results
    assert first.status == "rejected"
    [done] = retract(warehouse, landing, "crm/owners/bad.csv")
    assert (done.status, done.rows_removed, done.rejected_lines_removed) == ("rejected", 0, 2)
    assert query(warehouse, "select count(*) from raw._rejected_rows") == [(0,)]
    shutil.move(landing / ".retracted/crm/owners/bad.csv", bad)
    [again] = ingest_owners(warehouse, landing).results
    assert again.status == "rejected"  # tried again, not skipped as accounted for


@pytest.mark.parametrize("name", ["crm/owners/never.csv", "deadbeefdeadbeef", "../outside.csv"])
def test_an_unknown_file_is_an_error_that_changes_nothing(
    name: str, loaded: Path, landing: Path, warehouse: Path
) -> None:
    before = query(warehouse, "select * from raw._load_manifest order by source_file")
    with pytest.raises(RetractError, match="no loaded or rejected file matches"):
        retract(warehouse, landing, name)
    assert query(warehouse, "select * from raw._load_manifest order by source_file") == before
    assert loaded.exists()


def test_the_cli_retracts_and_says_what_it_did(
    loaded: Path, landing: Path, warehouse: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    where = ["--landing", str(landing), "--warehouse", str(warehouse)]
    assert main(["retract", "crm/owners/wrong.csv", *where]) == 0
    said = capsys.readouterr().out
    assert "retracted crm/owners/wrong.csv (crm/owners, sha256" in said
    assert "2 raw rows and 0 rejected lines removed" in said
    assert "moved crm/owners/wrong.csv -> .retracted/crm/owners/wrong.csv" in said
    assert main(["retract", "crm/owners/wrong.csv", *where]) == 2
    assert "no loaded or rejected file matches" in capsys.readouterr().err


TOUCHPOINTS = "touchpoint_id,lead_id,occurred_at,source,medium,campaign,keyword,touch_type\n"


def test_the_next_build_rebuilds_incremental_models_without_the_file(
    landing: Path, warehouse: Path, tmp_path: Path
) -> None:
    land(
        landing,
        "web/touchpoints/a.csv",
        (TOUCHPOINTS + "T1,L1,2025-01-01T10:00:00Z,google,cpc,brand,crm,visit\n").encode(),
    )
    land(
        landing,
        "web/touchpoints/wrong.csv",
        (
            TOUCHPOINTS + "T2,L2,2025-01-02T10:00:00Z,google,cpc,brand,crm,visit\n"
            "T1,L1,2025-01-03T10:00:00Z,bing,cpc,brand,crm,visit\n"
        ).encode(),
    )
    for entity in ENTITIES:
        ingest_entity(warehouse, landing, entity)
    dbt = tmp_path / "dbt"
    select = ["run", "--select", "stg_web__touchpoints"]
    assert run_dbt(select, warehouse, dbt).returncode == 0
    stg = "select touchpoint_id, touch_source from staging.stg_web__touchpoints order by 1"
    assert query(warehouse, stg) == [("T1", "bing"), ("T2", "google")]

    [done] = retract(warehouse, landing, "web/touchpoints/wrong.csv", dbt / "target/manifest.json")
    # every incremental model downstream of web/touchpoints (the attribution chain too)
    assert "staging.stg_web__touchpoints" in done.dropped
    assert "marts.fct_attribution_credits" in done.dropped
    built = run_dbt(select, warehouse, dbt)  # an ordinary (incremental) run
    assert built.returncode == 0, built.stdout
    assert query(warehouse, stg) == [("T1", "google")]
