"""A hand-made Salesforce org (tests/salesforce_fixture.py) in the exact native shapes, landed
and built with dbt; the figures are worked out by hand from the org's description.

Shapes: a CamelCase Data Export (CSV), a snake_case loader dump (JSON Lines, epoch
milliseconds), and a loader's own schema read through var('salesforce_schema') without file
ingestion. Bad input: no stage dictionary landed (the won stage is then unmapped and the
existing all_stage_labels_mapped test names it), a stage the dictionary lacks (flagged), history
of a field we ignore, history of a lead never landed, a deleted lead. A lead's second deal is
linked through its primary contact role (not through a non-primary or deleted one).
"""

from __future__ import annotations

import json
import shutil
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion.ingest import ingest_entity
from orchestration.landed_entities import LANDED_ENTITIES
from tests.build_files import open_read_only
from tests.dbt_cli import run_dbt
from tests.salesforce_fixture import write_data_export, write_loader_dump

SELECT = ["--select", "+fct_funnel", "+int_salesforce__lead_status_changes"]


def _build(root: Path, *, vars_: dict | None = None) -> tuple[Path, str, int]:
    warehouse = root / "funnel.duckdb"
    for entity in LANDED_ENTITIES:
        ingest_entity(warehouse, root / "landing", entity)
    args = ["build", *SELECT, "--exclude-resource-type", "unit_test"]
    args += ["--indirect-selection", "cautious"]
    if vars_:
        args += ["--vars", json.dumps(vars_)]
    result = run_dbt(args, warehouse, root)
    return warehouse, result.stdout, result.returncode


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with open_read_only(warehouse) as con:
        return con.execute(sql).fetchall()


@pytest.fixture(scope="module", params=["data_export", "loader_dump", "loader_schema"])
def org(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(request.param)
    if request.param == "data_export":
        write_data_export(root / "landing")
        warehouse, log, code = _build(root)
    elif request.param == "loader_dump":
        write_loader_dump(root / "landing")
        warehouse, log, code = _build(root)
    else:
        # a loader's schema: tables named <object>, snake_case columns, no lineage columns
        dump = root / "dump"
        write_loader_dump(dump)
        with duckdb.connect(str(root / "funnel.duckdb")) as con:
            con.execute("create schema salesforce")
            for folder in sorted((dump / "salesforce").iterdir()):
                file = next(folder.iterdir())
                read = f"read_json('{file}', format = 'newline_delimited')"
                # a loader types its timestamps: the dump's epoch milliseconds become timestamps
                epochs = [
                    name
                    for name, kind, *_ in con.execute(f"describe select * from {read}").fetchall()
                    if kind == "BIGINT" and name.endswith("_date")
                ]
                replace = ", ".join(f"epoch_ms({n}) as {n}" for n in epochs)
                star = f"* replace ({replace})" if epochs else "*"
                con.execute(f'create table salesforce."{folder.name}" as select {star} from {read}')
        shutil.rmtree(dump)
        warehouse, log, code = _build(root, vars_={"salesforce_schema": "salesforce"})
    assert code == 0, log[-4000:]
    return warehouse


def test_funnel_of_the_org(org: Path) -> None:
    rows = _rows(
        org,
        """select funnel_entity_id, funnel_entity_type, source_system, current_stage_key,
            furthest_stage_key, deal_count, won_amount_reporting, owner_team, is_sales_sourced
        from marts.fct_funnel order by funnel_entity_id""",
    )
    assert rows == [
        # 00Q1: converted into 006A, won: USD 1,000 at 1.25 USD per EUR = EUR 800; its second
        # deal 006C (primary contact 003A, open) leaves it won: a currently won deal leads
        ("salesforce:006B", "deal", "salesforce", "opportunity", "opportunity", 1, None,
         "EMEA Sales", True),
        ("salesforce:00Q1", "lead", "salesforce", "won", "won", 2, Decimal("800"),
         "EMEA Sales", False),
        ("salesforce:00Q2", "lead", "salesforce", "mql", "mql", 0, None, "EMEA Sales", False),
    ]  # fmt: skip


def test_lead_status_changes_from_history_and_creation(org: Path) -> None:
    rows = _rows(
        org,
        """select lead_id, changed_at, status_label, stage_key, is_creation, is_lead_landed
        from intermediate.int_salesforce__lead_status_changes order by lead_id, changed_at""",
    )
    assert rows == [
        ("salesforce:00Q1", datetime(2025, 3, 3, 10), "Open - Not Contacted", "lead", True, True),
        ("salesforce:00Q1", datetime(2025, 3, 5, 10), "Marketing Qualified", "mql", False, True),
        ("salesforce:00Q1", datetime(2025, 3, 10, 9), "Closed - Converted", "sql", False, True),
        ("salesforce:00Q2", datetime(2025, 3, 4, 10), "Working - Contacted", "mql", True, True),
        # history of a lead that never landed: kept, flagged; the deleted lead 00Q3 is gone
        ("salesforce:00Q9", datetime(2025, 3, 7, 10), "Marketing Qualified", "mql", False,
         False),
    ]  # fmt: skip
    # the Rating change and the 'created' row are kept in staging, not used
    assert _rows(
        org,
        "select field_name, count(*) from staging.stg_salesforce__lead_history "
        "where not is_status_change group by 1 order by 1",
    ) == [("Rating", 1), ("created", 1)]
    assert _rows(org, "select is_deleted from staging.stg_salesforce__leads where lead_id = "
                 "'salesforce:00Q3'") == [(True,)]  # fmt: skip


def test_deal_stage_changes_and_the_dictionary(org: Path) -> None:
    rows = _rows(
        org,
        """select deal_id, changed_at, stage_label, stage_key, is_entered_without_history
        from intermediate.int_salesforce__deal_stage_changes order by deal_id, changed_at""",
    )
    assert rows == [
        # the amount change of 03-15 is no stage change
        ("salesforce:006A", datetime(2025, 3, 10, 9), "Prospecting", "opportunity", False),
        ("salesforce:006A", datetime(2025, 3, 20, 10), "Proposal/Price Quote", "proposal", False),
        # Deal Signed has no seed row: IsWon in OpportunityStage makes it the won stage
        ("salesforce:006A", datetime(2025, 4, 1, 12), "Deal Signed", "won", False),
        ("salesforce:006B", datetime(2025, 3, 12, 10), "Prospecting", "opportunity", True),
        ("salesforce:006C", datetime(2025, 5, 5, 10), "Prospecting", "opportunity", True),
    ]
    assert _rows(
        org,
        "select deal_id, lead_id, account_id, currency, amount from "
        "intermediate.int_conformed__deals order by deal_id",
    ) == [
        ("salesforce:006A", "salesforce:00Q1", "001A", "USD", Decimal("1000")),
        # 006B: contact 003A's role on it is not primary; 006C: 003A is its primary contact
        # (the deleted primary role of 003B does not count)
        ("salesforce:006B", None, "001B", "EUR", Decimal("500")),
        ("salesforce:006C", "salesforce:00Q1", "001A", "EUR", Decimal("300")),
    ]
    assert _rows(
        org,
        "select deal_id, lead_id, link_rule from intermediate.int_salesforce__deal_leads "
        "order by deal_id",
    ) == [
        ("salesforce:006A", "salesforce:00Q1", "converted_opportunity"),
        ("salesforce:006C", "salesforce:00Q1", "primary_contact"),
    ]
    assert _rows(
        org,
        "select rate_to_reporting, source_system from intermediate.int_conformed__fx_rates "
        "where currency = 'USD' and rate_date = date '2025-04-01'",
    ) == [(Decimal("0.8"), "salesforce")]


def _without(root: Path, name: str) -> None:
    shutil.rmtree(root / "landing" / "salesforce" / name)


def test_no_stage_dictionary_landed_names_the_unmapped_label(tmp_path: Path) -> None:
    write_data_export(tmp_path / "landing")
    _without(tmp_path, "OpportunityStage")
    warehouse, log, code = _build(tmp_path)
    # without the dictionary, Deal Signed (no seed row) is unmapped: the build stops, naming it
    assert code != 0
    assert "label='Deal Signed'" in log
    assert _rows(
        warehouse,
        "select stage_label, stage_key, is_in_dictionary from "
        "intermediate.int_salesforce__deal_stages order by 1",
    ) == [
        ("Deal Signed", None, False),
        ("Proposal/Price Quote", "proposal", False),
        ("Prospecting", "opportunity", False),
    ]


def test_a_stage_missing_from_the_dictionary_is_flagged(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    write_data_export(landing)
    stages = landing / "salesforce" / "OpportunityStage" / "OpportunityStage.csv"
    stages.write_text(
        "\n".join(line for line in stages.read_text().splitlines() if "Proposal" not in line)
    )
    warehouse, log, code = _build(tmp_path)
    assert code == 0, log[-4000:]
    # mapped by the seed, flagged, and the warning test says so; no row is lost
    assert _rows(
        warehouse,
        "select stage_key, is_in_dictionary from intermediate.int_salesforce__deal_stages "
        "where stage_label = 'Proposal/Price Quote'",
    ) == [("proposal", False)]
    assert "WARN" in log and "accepted_values_int_salesforce__deal_stages_is_in_dictionary" in log
    assert _rows(
        warehouse, "select count(*) from intermediate.int_salesforce__deal_stage_changes"
    ) == [(5,)]
    assert _rows(
        warehouse,
        "select max(rate_date) >= date '2025-04-01' from intermediate.int_conformed__fx_rates",
    ) == [(True,)]
