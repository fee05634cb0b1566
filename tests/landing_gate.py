"""Small helpers shared by the landing-gate tests: tiny owner files, deal rows and warehouse
queries."""

from __future__ import annotations

import gzip
import tempfile
from pathlib import Path

import duckdb

from orchestration.ingestion.ingest import EntityIngestReport, ingest_entity
from orchestration.landing_contract import ENTITY_BY_PATH
from tests.build_files import open_read_only

OWNERS = ENTITY_BY_PATH["crm/owners"]
OWNERS_HEADER = "owner_id,name,team\n"
DEALS_HEADER = (
    "deal_id,lead_id,account_id,owner_id,stage,amount,currency,expected_close_date,"
    "created_at,updated_at,is_deleted\n"
)


def deal(
    deal_id: str = "D1",
    lead_id: str = "L1",
    stage: str = "closedwon",
    amount: str = "100.50",
    currency: str = "EUR",
    close: str = "2025-02-01",
    created: str = "2025-01-01T10:00:00Z",
    updated: str = "2025-01-02T10:00:00Z",
) -> str:
    """One line of a crm/deals extract with DEALS_HEADER's columns."""
    return (
        f"{deal_id},{lead_id},A1,O1,{stage},{amount},{currency},{close},{created},{updated},false\n"
    )


def owners_csv(*owner_ids: str) -> bytes:
    """An owners extract with one row per id (name and team derived from the id)."""
    return (OWNERS_HEADER + "".join(f"{i},name {i},team {i}\n" for i in owner_ids)).encode()


def owners_parquet(*owner_ids: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "owners.parquet"
        with duckdb.connect() as con:
            con.execute(
                "create table t as select unnest(?::varchar[]) as owner_id", [list(owner_ids)]
            )
            con.execute(
                "copy (select owner_id, 'name ' || owner_id as name, 'team ' || owner_id as team "
                f"from t) to '{target}' (format parquet)"
            )
        return target.read_bytes()


def owners_file(name: str, *owner_ids: str) -> bytes:
    """An owners extract in the format its name says (case-insensitively)."""
    lowered = name.lower()
    if lowered.endswith(".parquet"):
        return owners_parquet(*owner_ids)
    data = owners_csv(*owner_ids)
    return gzip.compress(data, mtime=0) if lowered.endswith(".gz") else data


def land(landing: Path, relative: str, data: bytes) -> Path:
    target = landing / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return target


def ingest_owners(warehouse: Path, landing: Path) -> EntityIngestReport:
    return ingest_entity(warehouse, landing, OWNERS)


def query(warehouse: Path, sql: str, params: list | None = None) -> list[tuple]:
    with open_read_only(warehouse) as con:
        return con.execute(sql, params or []).fetchall()


def owners_by_file(warehouse: Path) -> dict[str, list[str]]:
    """{source file: its owner ids in line order} as loaded into raw."""
    found: dict[str, list[str]] = {}
    for source_file, owner_id in query(
        warehouse,
        "select _source_file, owner_id from raw.crm__owners order by _source_file, _source_line",
    ):
        found.setdefault(source_file, []).append(owner_id)
    return found
