"""The native landing core: a native system's objects land like the canonical contract.

Header matching (CamelCase, snake_case, a loader's property_ prefix), JSON Lines and gzipped
CSV, Unix epoch timestamps, folders matched ignoring case and underscores, an unknown object
folder reported as unrecognised; rows in = loaded + rejected, every reject with its line.
"""

from __future__ import annotations

import gzip
from datetime import datetime
from pathlib import Path

import pytest

from orchestration.ingestion.ingest import ingest_entity
from orchestration.ingestion.landing_inventory import record_landing_inventory
from orchestration.landed_entities import LANDED_BY_PATH, entity_at
from tests.landing_gate import land, query

LEAD = LANDED_BY_PATH["salesforce/Lead"]


def _leads(warehouse: Path) -> list[tuple]:
    return query(
        warehouse,
        "select id, created_date, status, owner_id, is_deleted from raw.salesforce__lead "
        "order by id",
    )


def _manifest(warehouse: Path) -> list[tuple]:
    return query(
        warehouse,
        "select source_file, status, rows_in, rows_loaded, rows_rejected from "
        "raw._load_manifest where entity = 'salesforce/Lead' order by source_file",
    )


@pytest.mark.parametrize(
    "header",
    [
        "Id,CreatedDate,Status,OwnerId,IsDeleted",  # Data Export / Data Loader
        "id,created_date,status,owner_id,is_deleted",  # Fivetran / Airbyte snake_case
        "ID,created_Date,property_status,Owner_Id,properties_is_deleted",  # prefixes, any case
    ],
)
def test_header_matches_ignoring_case_underscores_and_property_prefix(
    tmp_path: Path, header: str
) -> None:
    land(
        tmp_path / "landing",
        "salesforce/Lead/export.csv",
        f"{header}\n00Q1,2024-05-01T09:30:00.000+0000,Open,005A,false\n".encode(),
    )
    warehouse = tmp_path / "w.duckdb"
    report = ingest_entity(warehouse, tmp_path / "landing", LEAD)
    assert (report.rows_loaded, report.rows_rejected) == (1, 0)
    assert _leads(warehouse) == [("00Q1", datetime(2024, 5, 1, 9, 30), "Open", "005A", False)]


def test_extra_columns_are_kept_in_snake_case_and_reserved_names_renamed(tmp_path: Path) -> None:
    land(
        tmp_path / "landing",
        "salesforce/Lead/export.csv",
        b"Id,CreatedDate,Status,Custom_Score__c,RatingBand,_fivetran_synced\n"
        b"00Q1,2024-05-01T09:30:00Z,Open,7,A,2024-05-02\n",
    )
    warehouse = tmp_path / "w.duckdb"
    ingest_entity(warehouse, tmp_path / "landing", LEAD)
    assert query(
        warehouse,
        "select custom_score__c, rating_band, x__fivetran_synced from raw.salesforce__lead",
    ) == [("7", "A", "2024-05-02")]


def test_two_headers_matching_one_column_reject_the_file(tmp_path: Path) -> None:
    land(
        tmp_path / "landing",
        "salesforce/Lead/export.csv",
        b"Id,CreatedDate,Status,property_status\n00Q1,2024-05-01T09:30:00Z,Open,Open\n",
    )
    report = ingest_entity(tmp_path / "w.duckdb", tmp_path / "landing", LEAD)
    assert report.files_rejected == 1
    assert "status <- Status, property_status" in report.rejected_file_messages[0]
    assert _manifest(tmp_path / "w.duckdb") == [("salesforce/Lead/export.csv", "rejected", 1, 0, 1)]


def test_jsonl_loads_objects_and_rejects_other_lines_with_their_line(tmp_path: Path) -> None:
    lines = [
        '{"Id": "00Q1", "CreatedDate": "2024-05-01T09:30:00Z", "Status": "Open", "x": {"a": 1}}',
        "",  # blank: not a data line
        "not json",
        '["an", "array"]',
        '{"Id": "00Q2", "CreatedDate": "2024-05-02T00:00:00Z", "Status": null}',
        '{"Id": "00Q3", "Status": "Open"}',  # CreatedDate missing: empty
    ]
    land(tmp_path / "landing", "salesforce/Lead/dump.jsonl", "\n".join(lines).encode())
    warehouse = tmp_path / "w.duckdb"
    report = ingest_entity(warehouse, tmp_path / "landing", LEAD)
    assert report.accounting_problems == []
    assert _manifest(warehouse) == [("salesforce/Lead/dump.jsonl", "loaded", 5, 2, 3)]
    assert [r[:3] for r in _leads(warehouse)] == [
        ("00Q1", datetime(2024, 5, 1, 9, 30), "Open"),
        ("00Q2", datetime(2024, 5, 2), None),
    ]
    assert query(warehouse, "select x from raw.salesforce__lead where id = '00Q1'") == [
        ('{"a":1}',)
    ]
    rejects = query(
        warehouse,
        "select line, column_name, reason, raw_text from raw._rejected_rows order by line",
    )
    assert [(line, column) for line, column, _, _ in rejects] == [
        (3, None),
        (4, None),
        (6, "created_date"),
    ]
    assert "not a JSON object" in rejects[0][2] and rejects[0][3] == "not json"
    assert "created_date is empty" in rejects[2][2]


def test_gzipped_csv_and_jsonl_load(tmp_path: Path) -> None:
    csv = b"Id,CreatedDate,Status\n00Q1,2024-05-01T09:30:00Z,Open\n"
    jsonl = b'{"Id": "00Q2", "CreatedDate": "2024-05-01T10:00:00Z", "Status": "Open"}\n'
    land(tmp_path / "landing", "salesforce/Lead/a.csv.gz", gzip.compress(csv, mtime=0))
    land(tmp_path / "landing", "salesforce/Lead/b.ndjson.gz", gzip.compress(jsonl, mtime=0))
    warehouse = tmp_path / "w.duckdb"
    report = ingest_entity(warehouse, tmp_path / "landing", LEAD)
    assert (report.files_loaded, report.rows_loaded) == (2, 2)
    assert [r[0] for r in _leads(warehouse)] == ["00Q1", "00Q2"]


def test_epoch_timestamps_in_a_declared_column(tmp_path: Path) -> None:
    # 1714555800 s = 2024-05-01T09:30:00Z; a native timestamp declared with epoch milliseconds
    land(
        tmp_path / "landing",
        "salesforce/Lead/export.csv",
        b"Id,CreatedDate,Status\n00Q1,1714555800000,Open\n00Q2,1714555800500,Open\n"
        b"00Q3,yesterday,Open\n",
    )
    warehouse = tmp_path / "w.duckdb"
    report = ingest_entity(warehouse, tmp_path / "landing", LEAD)
    assert (report.rows_loaded, report.rows_rejected) == (2, 1)
    assert [r[1] for r in _leads(warehouse)] == [
        datetime(2024, 5, 1, 9, 30),
        datetime(2024, 5, 1, 9, 30, 0, 500000),
    ]
    reason = query(warehouse, "select reason from raw._rejected_rows")[0][0]
    assert "created_date: value 'yesterday'" in reason and "Unix epoch milliseconds" in reason


def test_epoch_is_not_read_in_canonical_columns(tmp_path: Path) -> None:
    land(
        tmp_path / "landing",
        "crm/owners/o.csv",
        b"owner_id,name,team,updated_at\no1,A,T,1714555800000\n",
    )
    report = ingest_entity(
        tmp_path / "w.duckdb", tmp_path / "landing", LANDED_BY_PATH["crm/owners"]
    )
    assert (report.rows_loaded, report.rows_rejected) == (0, 1)


def test_object_folders_match_ignoring_case_and_underscores() -> None:
    history = LANDED_BY_PATH["salesforce/OpportunityHistory"]
    assert entity_at("salesforce", "OpportunityHistory") is history
    assert entity_at("salesforce", "opportunity_history") is history
    assert entity_at("salesforce", "OPPORTUNITYHISTORY") is history
    assert history.raw_table == "salesforce__opportunity_history"
    # the canonical contract stays exact
    assert entity_at("crm", "Leads") is None


def test_unknown_object_folder_and_jsonl_in_canonical_are_unrecognised(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    land(landing, "salesforce/Campaign/a.csv", b"Id\n1\n")
    land(landing, "crm/owners/o.jsonl", b'{"owner_id": "o1"}\n')
    inventory = record_landing_inventory(tmp_path / "w.duckdb", landing)
    lines = inventory.lines("unrecognised")
    assert len(lines) == 2
    account = next(line for line in lines if line.startswith("salesforce/Campaign"))
    assert "salesforce/Campaign is not an entity of the landing contract" in account
    assert "Lead, LeadHistory, Opportunity" in account
    owners = next(line for line in lines if line.startswith("crm/owners"))
    assert "does not end in .csv, .csv.gz, .parquet" in owners
    assert query(
        tmp_path / "w.duckdb",
        "select count(*) from raw._load_manifest where status = 'unrecognised'",
    ) == [(2,)]


def test_parquet_headers_match_too(tmp_path: Path) -> None:
    import duckdb

    target = tmp_path / "landing" / "salesforce" / "User" / "u.parquet"
    target.parent.mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(
            'copy (select \'005A\' as "Id", \'Ann\' as "Name", true as "IsActive") '
            f"to '{target}' (format parquet)"
        )
    warehouse = tmp_path / "w.duckdb"
    report = ingest_entity(warehouse, tmp_path / "landing", LANDED_BY_PATH["salesforce/User"])
    assert report.rows_loaded == 1
    assert query(warehouse, "select id, name, is_active from raw.salesforce__user") == [
        ("005A", "Ann", True)
    ]
