"""A hand-made HubSpot dump (Fivetran shape: property_ columns, two pipelines, a merged contact,
a deal with no contact) built through the whole warehouse, with the expected rows worked by hand
from tests/fixtures/hubspot_dump/; and a stage id missing from the dictionary fails the build,
naming it.

Worked by hand from the fixture:
- contacts 101, 102, 103; 103 is listed in 102's hs_merged_object_ids, so two leads remain and
  103's history (lead, then MQL on 2025-01-09) and its deal association belong to 102;
- 101: lead (lifecyclestage and hs_lead_status NEW, 01-06), MQL 01-10, SQL 01-15; its OPEN lead
  status is unmapped and not a funnel stage, its lifecycle "opportunity" comes from the deal;
- deal 501 (default pipeline): appointmentscheduled -> contractsent -> closedwon, amount 1200 in
  its latest version; primary contact 101;
- deal 502 (renewals pipeline): stage 101202 "Meeting Scheduled" (mapped by label) -> 101203
  "Renewed", which no seed row names: closed_won in the dictionary makes it won;
- deal 503: no contact, so sales-sourced (its own funnel entity), lost.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from orchestration.settings import PROJECT_DIR
from tests.build_files import open_read_only
from tests.operations import cli_build_command, cli_env

FIXTURE = Path(__file__).parent / "fixtures" / "hubspot_dump"


def _build(root: Path) -> tuple[subprocess.CompletedProcess, Path]:
    # named funnel.duckdb like every build of the suite: the manifest it copies to target/ names
    # the database after the file, and `mf` (the docs and semantic tests) reads that manifest
    warehouse = root / "warehouse" / "funnel.duckdb"
    done = subprocess.run(
        cli_build_command(root / "landing", warehouse, root / "serving"),
        env=cli_env(root / "dagster_home"),
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=900,
    )
    return done, warehouse


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hubspot_dump")
    shutil.copytree(FIXTURE, root / "landing" / "hubspot")
    done, warehouse = _build(root)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return warehouse


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with open_read_only(warehouse) as con:
        return con.execute(sql).fetchall()


def test_funnel_entities_worked_by_hand(built: Path) -> None:
    assert _rows(
        built,
        "select funnel_entity_id, source_system, furthest_stage_key, is_won, is_lost, "
        "is_sales_sourced, deal_count from marts.fct_funnel order by 1",
    ) == [
        ("hubspot:101", "hubspot", "won", True, False, False, 1),
        ("hubspot:102", "hubspot", "won", True, False, False, 1),
        ("hubspot:503", "hubspot", "opportunity", False, True, True, 1),
    ]


def test_merged_contact_history_moves_to_the_survivor(built: Path) -> None:
    # 103 was merged into 102: no lead of its own, its MQL change is 102's
    assert _rows(built, "select lead_id from intermediate.int_conformed__leads order by 1") == [
        ("hubspot:101",),
        ("hubspot:102",),
    ]
    assert _rows(
        built,
        "select lead_id, stage_key, cast(changed_at as varchar) "
        "from intermediate.int_conformed__lead_status_changes order by 1, 3, 2",
    ) == [
        ("hubspot:101", "lead", "2025-01-06 09:00:00"),
        ("hubspot:101", "lead", "2025-01-06 09:00:00"),
        ("hubspot:101", "mql", "2025-01-10 12:00:00"),
        ("hubspot:101", "sql", "2025-01-15 12:00:00"),
        ("hubspot:102", "lead", "2025-01-07 09:00:00"),
        ("hubspot:102", "lead", "2025-01-08 09:00:00"),
        ("hubspot:102", "mql", "2025-01-09 09:00:00"),
    ]


def test_deals_stage_dictionary_and_links(built: Path) -> None:
    assert _rows(
        built,
        "select deal_id, lead_id, account_id, stage_label, stage_key, cast(amount as double), "
        "has_contact from intermediate.int_hubspot__deals order by 1",
    ) == [
        ("hubspot:501", "hubspot:101", "9001", "Closed Won", "won", 1200.0, True),
        ("hubspot:502", "hubspot:102", "9002", "Renewed", "won", 500.0, True),
        ("hubspot:503", None, None, "Closed Lost", "lost", 300.0, False),
    ]
    # every stage change lands in the conform point, keeping its source system
    assert _rows(
        built,
        "select deal_id, count(*), min(source_system) "
        "from intermediate.int_conformed__deal_stage_changes group by 1 order by 1",
    ) == [
        ("hubspot:501", 3, "hubspot"),
        ("hubspot:502", 2, "hubspot"),
        ("hubspot:503", 2, "hubspot"),
    ]


def test_a_stage_id_missing_from_the_dictionary_fails_naming_it(
    tmp_path: Path,
) -> None:
    shutil.copytree(FIXTURE, tmp_path / "landing" / "hubspot")
    (tmp_path / "landing" / "hubspot" / "deal" / "more.csv").write_text(
        "deal_id,deal_pipeline_id,deal_pipeline_stage_id,property_createdate\n"
        "504,renewals,999999,2025-01-27T12:00:00Z\n"
    )
    done, warehouse = _build(tmp_path)
    assert done.returncode != 0
    assert "label='999999'" in done.stdout + done.stderr
    # nothing lost: the deal is in staging and its stage id is flagged (the models after the
    # failed label test are skipped)
    assert _rows(
        warehouse, "select stage_id from staging.stg_hubspot__deals where deal_id = 'hubspot:504'"
    ) == [("999999",)]
    assert _rows(
        warehouse,
        "select is_in_dictionary, is_stage_mapped from intermediate.int_hubspot__deal_stages "
        "where stage_id = '999999'",
    ) == [(False, False)]
