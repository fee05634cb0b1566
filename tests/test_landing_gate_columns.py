"""Issue 12, "crashes on a column name": no landed column name, whatever it is, can collide
with a name the loader, DuckDB or the models use; a failure inside one file writes a manifest
row and never blocks the entity's later files."""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion.column_names import DUCKDB_PSEUDO_COLUMNS, is_reserved
from orchestration.ingestion.ingest import ingest_entity
from orchestration.landing_contract import ENTITIES, ENTITY_BY_PATH
from tests.dbt_cli import run_dbt
from tests.landing_gate import ingest_owners, land, owners_by_file, owners_csv, query

RESERVED = [
    "rowid",
    "ROWID",
    "file_row_number",
    "filename",
    "file_index",
    "_version_rank",
    "_file_hash",
    "_source_file",
    "_source_line",
    "_loaded_at",
    "__line",
    "__span",
    "__reason",
    "__c1",
    "__t1",
    "__p1",
    "_anything",
    " _padded ",
]


def parquet_bytes(columns: dict[str, list[str]]) -> bytes:
    """A Parquet file with these text columns (names kept exactly)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "x.parquet"
        with duckdb.connect() as con:
            names = list(columns)
            rows = list(zip(*columns.values(), strict=True))
            con.execute("create table t (" + ", ".join(f'"{n}" varchar' for n in names) + ")")
            con.executemany(f"insert into t values ({', '.join('?' for _ in names)})", rows)
            con.execute(f"copy t to '{target}' (format parquet)")
        return target.read_bytes()


def landed_with(name: str, form: str, owner_id: str) -> tuple[str, bytes]:
    if form == "csv":
        return "extra.csv", f"owner_id,name,team,{name}\n{owner_id},Anna,SMB,v\n".encode()
    return "extra.parquet", parquet_bytes(
        {"owner_id": [owner_id], "name": ["Anna"], "team": ["SMB"], name: ["v"]}
    )


@pytest.mark.parametrize("form", ["csv", "parquet"])
@pytest.mark.parametrize("name", RESERVED)
def test_a_reserved_column_name_is_renamed_with_a_note_and_the_file_loads(
    name: str, form: str, landing: Path, warehouse: Path
) -> None:
    file_name, data = landed_with(name, form, "O1")
    land(landing, f"crm/owners/{file_name}", data)
    land(landing, "crm/owners/later.csv", owners_csv("O2"))
    report = ingest_owners(warehouse, landing)

    stored = "x_" + name.strip().lower()
    assert [r.status for r in report.results] == ["loaded", "loaded"], report.results
    assert owners_by_file(warehouse) == {
        f"crm/owners/{file_name}": ["O1"],
        "crm/owners/later.csv": ["O2"],
    }
    assert query(warehouse, f'select "{stored}" from raw.crm__owners order by owner_id') == [
        ("v",),
        (None,),
    ]
    [(message,)] = query(
        warehouse,
        "select message from raw._load_manifest where source_file = ?",
        [f"crm/owners/{file_name}"],
    )
    assert f"{name.strip().lower()} -> {stored}" in message
    assert "reserved for the warehouse" in message
    # the lineage columns keep the loader's values
    assert query(
        warehouse, "select _source_file, _source_line from raw.crm__owners where owner_id = 'O1'"
    ) == [(f"crm/owners/{file_name}", 1 if form == "parquet" else 2)]


def test_no_contract_column_is_reserved() -> None:
    assert [c.name for e in ENTITIES for c in e.columns if is_reserved(c.name)] == []
    assert "rowid" in DUCKDB_PSEUDO_COLUMNS


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("owner_id,name,team,rowid,x_rowid", "column(s) rowid must be renamed"),
        ("owner_id,name,team,_a,x__a", "column(s) _a must be renamed"),
        ("owner_id,name,team,Team", "duplicate header column(s): ['team']"),
    ],
)
def test_a_rename_that_would_clash_rejects_the_file_and_later_files_load(
    header: str, words: str, landing: Path, warehouse: Path
) -> None:
    values = ",".join("v" for _ in header.split(","))
    land(landing, "crm/owners/a.csv", f"{header}\n{values}\n".encode())
    land(landing, "crm/owners/b.csv", owners_csv("O2"))
    report = ingest_owners(warehouse, landing)
    assert [r.status for r in report.results] == ["rejected", "loaded"]
    assert words in (report.results[0].message or "")
    assert query(
        warehouse, "select status, rows_rejected from raw._load_manifest order by source_file"
    ) == [("rejected", 1), ("loaded", 0)]


def test_a_parquet_file_with_names_equal_but_for_spaces_is_rejected(
    landing: Path, warehouse: Path
) -> None:
    data = parquet_bytes({"owner_id": ["O1"], "name": ["A"], "team": ["S"], " TEAM ": ["T"]})
    land(landing, "crm/owners/a.parquet", data)
    [result] = ingest_owners(warehouse, landing).results
    assert result.status == "rejected" and result.rows_rejected == 1
    assert "duplicate header column(s): ['team']" in (result.message or "")


def test_a_parquet_file_that_breaks_while_read_is_rejected_and_later_files_load(
    landing: Path, warehouse: Path
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "x.parquet"
        with duckdb.connect() as con:
            con.execute(
                "copy (select 'O' || i as owner_id, md5(i::varchar) as name, 'S' as team "
                f"from range(20000) t(i)) to '{target}' (format parquet, compression zstd)"
            )
            data = bytearray(target.read_bytes())
            # damage compressed data pages, keep the footer (so the schema still reads)
            for fraction in (0.2, 0.5):
                at = int(len(data) * fraction)
                data[at : at + 64] = b"\xff" * 64
            target.write_bytes(data)
            con.execute(f"describe select * from read_parquet('{target}')")
            with pytest.raises(duckdb.Error, match="Decompression"):
                con.execute(f"select max(name) from read_parquet('{target}')").fetchall()
    land(landing, "crm/owners/a_broken.parquet", bytes(data))
    land(landing, "crm/owners/b_good.csv", owners_csv("O2"))
    report = ingest_owners(warehouse, landing)
    assert [r.status for r in report.results] == ["rejected", "loaded"]
    assert (report.results[0].message or "").startswith("crm/owners/a_broken.parquet: ")
    assert query(warehouse, "select source_file, status from raw._load_manifest order by 1") == [
        ("crm/owners/a_broken.parquet", "rejected"),
        ("crm/owners/b_good.csv", "loaded"),
    ]
    assert report.accounting_problems == []


SPEND = (
    "date,platform,account_id,campaign_id,campaign_name,ad_group,keyword,utm_source,"
    "utm_medium,utm_campaign,spend,currency,impressions,clicks,_version_rank\n"
    "2025-01-01,google,AC1,C1,Brand,G1,crm,google,cpc,brand,12.50,EUR,100,7,\n"
    "2025-01-02,google,AC1,C1,Brand,G1,crm,google,cpc,brand,3.25,EUR,40,2,\n"
    "2025-01-02,bing,AC2,C9,Brand,G1,crm,bing,cpc,brand,1.00,EUR,10,1,\n"
)


def test_a_spend_file_with_an_empty_version_rank_column_still_reaches_staging(
    landing: Path, warehouse: Path, tmp_path: Path
) -> None:
    land(landing, "ads/spend/spend.csv", SPEND.encode())
    report = ingest_entity(warehouse, landing, ENTITY_BY_PATH["ads/spend"])
    assert [r.status for r in report.results] == ["loaded"]
    for entity in ENTITIES:  # every dbt source exists
        ingest_entity(warehouse, landing, entity)
    done = run_dbt(["run", "--select", "stg_ads__spend"], warehouse, tmp_path / "dbt")
    assert done.returncode == 0, done.stdout + done.stderr
    assert query(
        warehouse,
        "select spend_date::varchar, platform, spend_amount::double from staging.stg_ads__spend "
        "order by 1, 2",
    ) == [
        ("2025-01-01", "google", 12.5),
        ("2025-01-02", "bing", 1.0),
        ("2025-01-02", "google", 3.25),
    ]
