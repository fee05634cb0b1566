"""Incremental models give the same warehouse as a build from scratch.

``stg_web__touchpoints`` is incremental: a night re-ranks only the touchpoints with a raw row
loaded since the last build. A night built that way on top of the previous warehouse must give
exactly the marts (and staging rows) of a warehouse built from scratch from the same landing
folder; and an existing table from an older model version must fail with a clear message.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import duckdb

from orchestration.ingestion.ingest import ingest_entity
from orchestration.landing_contract import ENTITY_BY_PATH
from orchestration.sample_data import generate_landing, generate_next_night
from tests.conftest import materialize_everything, write_landed
from tests.dbt_cli import run_dbt
from tests.operations import table_hashes

TOUCHPOINTS = "staging.stg_web__touchpoints"


def _touchpoints(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            f"select * exclude (loaded_at) from {TOUCHPOINTS} order by touchpoint_id"
        ).fetchall()


def _land_touchpoint_changes(landing: Path) -> str:
    """A night file with a new version of a known touchpoint and a new touchpoint."""
    folder = landing / "web" / "touchpoints"
    first = sorted(folder.glob("*.csv"))[0]
    with first.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    changed = {**rows[0], "campaign": "re_landed_campaign", "touch_type": "form_fill"}
    added = {**rows[1], "touchpoint_id": rows[1]["touchpoint_id"] + "-night"}
    with (folder / "touchpoints__night_changes.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([changed, added])
    return changed["touchpoint_id"]


def test_a_night_built_incrementally_equals_a_build_from_scratch(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    generate_landing(landing, leads=300, seed=11)
    nightly = tmp_path / "nightly" / "warehouse" / "funnel.duckdb"
    assert materialize_everything(landing, nightly).success
    with duckdb.connect(str(nightly), read_only=True) as con:
        before = con.execute(f"select count(*) from {TOUCHPOINTS}").fetchone()

    generate_next_night(landing)
    changed_id = _land_touchpoint_changes(landing)
    assert materialize_everything(landing, nightly).success  # the incremental path
    with duckdb.connect(str(nightly), read_only=True) as con:
        loads = con.execute(
            f"select count(distinct loaded_at), count(*) from {TOUCHPOINTS}"
        ).fetchone()
        campaign = con.execute(
            f"select touch_campaign from {TOUCHPOINTS} where touchpoint_id = ?", [changed_id]
        ).fetchone()
    assert loads is not None and before is not None
    assert loads[0] == 2  # rows of both loads are here
    assert loads[1] > before[0]  # at least the night's new touchpoint
    assert campaign == ("re_landed_campaign",)  # the version loaded last wins

    scratch = tmp_path / "scratch" / "warehouse" / "funnel.duckdb"
    assert materialize_everything(landing, scratch).success
    assert _touchpoints(nightly) == _touchpoints(scratch)
    assert table_hashes(nightly) == table_hashes(scratch)


def _dbt_run_touchpoints(warehouse: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return run_dbt(["run", "--select", "stg_web__touchpoints"], warehouse, tmp_path, timeout=300)


def test_an_incremental_table_from_an_older_model_version_asks_for_a_full_refresh(
    tmp_path: Path,
) -> None:
    landing = tmp_path / "landing"
    write_landed(
        landing,
        "web/touchpoints",
        "touchpoints__1.csv",
        "touchpoint_id,lead_id,occurred_at,source,medium\nT1,L1,2025-01-01T05:00:00Z,google,cpc\n",
    )
    warehouse = tmp_path / "warehouse" / "funnel.duckdb"
    ingest_entity(warehouse, landing, ENTITY_BY_PATH["web/touchpoints"])
    assert _dbt_run_touchpoints(warehouse, tmp_path).returncode == 0
    with duckdb.connect(str(warehouse)) as con:  # what an older model version left behind
        con.execute(f"alter table {TOUCHPOINTS} drop column loaded_at")

    again = _dbt_run_touchpoints(warehouse, tmp_path)
    assert again.returncode != 0
    assert "has no column loaded_at" in again.stdout
    assert "funnel build --full-refresh" in again.stdout
