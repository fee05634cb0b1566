"""Landing -> raw: loaded once by content, every line accounted for, clear file errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb

from orchestration.defs.assets.ingestion import raw_assets
from orchestration.defs.resources import WarehousePaths
from orchestration.ingestion.ingest import ingest_entity
from orchestration.landing_contract import ENTITY_BY_PATH
from tests.build_files import open_read_only
from tests.conftest import write_landed

DEALS = ENTITY_BY_PATH["crm/deals"]
DEAL_HEADER = (
    "deal_id,lead_id,account_id,owner_id,stage,amount,currency,expected_close_date,"
    "created_at,updated_at,is_deleted"
)
GOOD_DEALS = (
    DEAL_HEADER + "\n"
    "D1,L1,A1,O1,closedwon,100.50,EUR,2025-02-01,2025-01-01T10:00:00Z,2025-01-02T10:00:00Z,false\n"
    "D2,,A2,O1,Contract Sent,2000,USD,2025-03-01,2025-01-05,2025-01-06T12:00:00+02:00,false\n"
)


def _query(warehouse: Path, sql: str) -> list[tuple]:
    with open_read_only(warehouse) as con:
        return con.execute(sql).fetchall()


def test_loads_typed_rows_with_lineage(landing: Path, warehouse: Path) -> None:
    write_landed(landing, "crm/deals", "deals_1.csv", GOOD_DEALS)
    report = ingest_entity(warehouse, landing, DEALS)
    assert (report.files_loaded, report.rows_loaded, report.rows_rejected) == (1, 2, 0)
    rows = _query(
        warehouse,
        "select deal_id, lead_id, amount, updated_at::varchar, _source_file, _source_line "
        "from raw.crm__deals order by deal_id",
    )
    # an offset is converted to UTC; an empty lead_id is null
    assert rows[1][1] is None
    assert rows[1][3] == "2025-01-06 10:00:00"
    assert [(r[0], r[4], r[5]) for r in rows] == [
        ("D1", "crm/deals/deals_1.csv", 2),
        ("D2", "crm/deals/deals_1.csv", 3),
    ]


def test_same_file_twice_or_renamed_adds_no_row(landing: Path, warehouse: Path) -> None:
    first = write_landed(landing, "crm/deals", "deals_1.csv", GOOD_DEALS)
    ingest_entity(warehouse, landing, DEALS)
    again = ingest_entity(warehouse, landing, DEALS)
    shutil.copy(first, first.with_name("deals_copy_under_new_name.csv"))
    renamed = ingest_entity(warehouse, landing, DEALS)

    assert again.rows_loaded == 0 and again.files_skipped == 1
    assert renamed.rows_loaded == 0 and renamed.files_skipped == 2
    assert _query(warehouse, "select count(*) from raw.crm__deals") == [(2,)]
    assert _query(warehouse, "select count(*) from raw._load_manifest") == [(1,)]


def test_malformed_rows_are_all_accounted_for(landing: Path, warehouse: Path) -> None:
    text = (
        DEAL_HEADER + "\n"
        "D1,L1,A1,O1,closedwon,100.50,EUR,2025-02-01,2025-01-01,2025-01-02,false\n"  # line 2 ok
        "D2,L1,A1\n"  # line 3: too few columns
        'D3,L1,A1,O1,closedwon,"1,5",EUR,2025-02-01,2025-01-01,2025-01-02,false\n'  # 4: comma
        ",L1,A1,O1,closedwon,1,EUR,2025-02-01,2025-01-01,2025-01-02,false\n"  # 5: empty key
        "D5,L1,A1,O1,closedwon,1,EUR,03/02/2025,2025-01-01,2025-01-02,false\n"  # 6: bad date
        "D6,L1,A1,O1,closedwon,1,EUR,2025-02-01,2025-01-01,2025-01-02,false,extra\n"  # 7
        "D7,L1,A1,O1,closedwon,7,EUR,2025-02-01,2025-01-01,2025-01-02,false\n"  # 8 ok
    )
    write_landed(landing, "crm/deals", "dirty.csv", text)
    report = ingest_entity(warehouse, landing, DEALS)

    data_lines = len(text.strip().splitlines()) - 1
    assert data_lines == 7
    assert report.rows_loaded == 2
    assert report.rows_rejected == 5
    assert report.rows_loaded + report.rows_rejected == data_lines
    assert report.accounting_problems == []
    rejects = dict(_query(warehouse, "select line, reason from raw._rejected_rows order by line"))
    assert set(rejects) == {3, 4, 5, 6, 7}
    assert "1,5" in rejects[4] and "decimal point" in rejects[4]
    assert "deal_id is empty" in rejects[5]
    assert "03/02/2025" in rejects[6]
    assert _query(warehouse, "select deal_id, _source_line from raw.crm__deals order by 1") == [
        ("D1", 2),
        ("D7", 8),
    ]


def test_file_in_another_encoding_is_rejected_whole(landing: Path, warehouse: Path) -> None:
    owners = "owner_id,name,team\nO1,Иван Петров,Продажи\nO2,Anna,SMB\n"
    write_landed(landing, "crm/owners", "cp1251.csv", owners.encode("cp1251"))
    write_landed(landing, "crm/owners", "utf16.csv", owners.encode("utf-16"))
    report = ingest_entity(warehouse, landing, ENTITY_BY_PATH["crm/owners"])

    assert report.files_rejected == 2 and report.rows_loaded == 0
    messages = " ".join(report.rejected_file_messages)
    assert "crm/owners/cp1251.csv: line 2" in messages and "not valid UTF-8" in messages
    assert "crm/owners/utf16.csv" in messages and "UTF-16" in messages
    # every line is still recorded as rejected
    assert report.rows_rejected == 4 and report.accounting_problems == []


def test_missing_required_column_fails_the_asset_naming_it_while_others_load(
    landing: Path, warehouse: Path
) -> None:
    write_landed(landing, "crm/owners", "owners.csv", "owner_id,name\nO1,Anna\n")
    write_landed(landing, "crm/deals", "deals.csv", GOOD_DEALS)
    paths = WarehousePaths(
        landing_dir=str(landing), warehouse=str(warehouse), serving_dir=str(landing.parent / "s")
    )

    result = dg.materialize(
        raw_assets,
        resources={"paths": paths},
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )

    assert not result.success
    failures = [e for e in result.all_events if e.is_step_failure]
    assert len(failures) == 1
    message = failures[0].step_failure_data.error.message  # type: ignore[union-attr]
    assert "crm/owners/owners.csv" in message and "team" in message
    assert _query(warehouse, "select count(*) from raw.crm__deals") == [(2,)]
    assert _query(warehouse, "select count(*) from raw.crm__owners") == [(0,)]


OLD_MANIFEST = """
    create table raw._load_manifest (
        file_hash varchar primary key, entity varchar not null, source_file varchar not null,
        file_bytes bigint not null, status varchar not null, rows_in bigint not null,
        rows_loaded bigint not null, rows_rejected bigint not null,
        continuation_lines bigint not null, message varchar, loaded_at timestamp not null
    )
"""


def test_a_manifest_of_the_previous_version_is_upgraded_keeping_its_rows(
    landing: Path, warehouse: Path
) -> None:
    first = write_landed(landing, "crm/deals", "deals_1.csv", GOOD_DEALS)
    ingest_entity(warehouse, landing, DEALS)
    with duckdb.connect(str(warehouse)) as con:  # as the previous version left it
        kept = con.execute(
            "select file_hash, entity, source_file, file_bytes, status, rows_in, rows_loaded, "
            "rows_rejected, continuation_lines, message, loaded_at from raw._load_manifest"
        ).fetchall()
        con.execute("drop table raw._load_manifest")
        con.execute(OLD_MANIFEST)
        con.executemany(
            "insert into raw._load_manifest values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", kept
        )

    shutil.copy(first, first.with_name("deals_again.csv"))
    again = ingest_entity(warehouse, landing, DEALS)

    assert [r.status for r in again.results] == ["skipped", "skipped"]
    assert (
        _query(
            warehouse,
            "select file_hash, entity, source_file, file_bytes, status, rows_in, rows_loaded, "
            "rows_rejected, continuation_lines, message, loaded_at from raw._load_manifest",
        )
        == kept
    )
    assert _query(
        warehouse,
        "select count(*) from duckdb_constraints() where table_name = '_load_manifest' "
        "and constraint_type = 'PRIMARY KEY'",
    ) == [(0,)]
    assert _query(warehouse, "select run_id, retracted_at from raw._load_manifest") == [
        (None, None)
    ]
