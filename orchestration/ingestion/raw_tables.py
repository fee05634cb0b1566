"""DDL of the ``raw`` schema: one append-only table per landed entity, plus bookkeeping.

Every raw table has the entity's contract columns (typed), any extra columns a file brought
(as text, added when first seen), and four lineage columns:

- ``_file_hash``: sha256 of the landed file's bytes (the manifest key)
- ``_source_file``: the file's path relative to the landing folder
- ``_source_line``: the physical line the record starts on, as an editor shows it (header =
  line 1; blank lines and the extra lines of a quoted multi-line value are counted); for a
  Parquet file, the row number (first row = 1)
- ``_loaded_at``: when the row was loaded (UTC)
"""

from __future__ import annotations

import duckdb

from orchestration.ingestion.transaction import transaction
from orchestration.landing_contract import DUCKDB_TYPES, Entity

RAW_SCHEMA = "raw"
MANIFEST_TABLE = f"{RAW_SCHEMA}._load_manifest"
REJECTS_TABLE = f"{RAW_SCHEMA}._rejected_rows"

LINEAGE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("_file_hash", "varchar"),
    ("_source_file", "varchar"),
    ("_source_line", "bigint"),
    ("_loaded_at", "timestamp"),
)


def qualified(entity: Entity) -> str:
    return f"{RAW_SCHEMA}.{entity.raw_table}"


#: the manifest's columns, in order (name, type, what it holds)
MANIFEST_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("file_hash", "varchar", "sha256 of the file's bytes (null when the file was not read)"),
    ("entity", "varchar", "source/entity the file belongs to (null: no entity's file)"),
    ("source_file", "varchar not null", "path relative to the landing folder"),
    ("file_bytes", "bigint", "size of the file"),
    ("status", "varchar not null", "loaded | rejected | retracted | ignored | unrecognised"),
    ("rows_in", "bigint not null", "data lines in the file (header excluded)"),
    ("rows_loaded", "bigint not null", "rows written to the raw table"),
    ("rows_rejected", "bigint not null", "lines recorded in the rejects table"),
    ("continuation_lines", "bigint not null", "extra lines of loaded multi-line records"),
    ("message", "varchar", "why a file was rejected, ignored or unrecognised; renamed columns"),
    ("loaded_at", "timestamp not null", "when the row was written (ignored/unrecognised: seen)"),
    ("run_id", "varchar", "the build (Dagster run) that wrote the row"),
    ("retracted_at", "timestamp", "when `funnel retract` took the file out of raw"),
    ("rows_retracted", "bigint", "raw rows the retraction deleted"),
)


def create_bookkeeping(con: duckdb.DuckDBPyConnection) -> None:
    """Create the raw schema, the load manifest and the rejects table if missing.

    A manifest written before files were told apart by entity (``file_hash`` its primary key,
    no ``run_id``) is rebuilt with the current columns, keeping its rows.
    """
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    columns = ",\n".join(f"{name} {type_}" for name, type_, _ in MANIFEST_COLUMNS)
    con.execute(f"create table if not exists {MANIFEST_TABLE} ({columns})")
    _upgrade_manifest(con, columns)
    con.execute(
        f"""
        create table if not exists {REJECTS_TABLE} (
            file_hash varchar not null,
            entity varchar not null,
            source_file varchar not null,
            line bigint,                      -- line of the record (header = 1)
            lines_spanned bigint not null,    -- physical lines the rejected text covers
            column_name varchar,
            reason varchar not null,
            raw_text varchar,                 -- the record as the file has it
            rejected_at timestamp not null
        )
        """
    )


def _upgrade_manifest(con: duckdb.DuckDBPyConnection, columns: str) -> None:
    have = [
        row[0]
        for row in con.execute(
            "select column_name from information_schema.columns "
            "where table_schema = ? and table_name = ? order by ordinal_position",
            [RAW_SCHEMA, MANIFEST_TABLE.split(".")[1]],
        ).fetchall()
    ]
    keyed = con.execute(
        "select count(*) from duckdb_constraints() where schema_name = ? and table_name = ? "
        "and constraint_type = 'PRIMARY KEY'",
        [RAW_SCHEMA, MANIFEST_TABLE.split(".")[1]],
    ).fetchone()
    wanted = [name for name, _, _ in MANIFEST_COLUMNS]
    if have == wanted and keyed == (0,):
        return
    kept = ", ".join(name if name in have else "null" for name in wanted)
    with transaction(con):
        con.execute(f"create table {MANIFEST_TABLE}_upgraded ({columns})")
        con.execute(f"insert into {MANIFEST_TABLE}_upgraded select {kept} from {MANIFEST_TABLE}")
        con.execute(f"drop table {MANIFEST_TABLE}")
        con.execute(
            f"alter table {MANIFEST_TABLE}_upgraded rename to {MANIFEST_TABLE.split('.')[1]}"
        )


def create_raw_table(con: duckdb.DuckDBPyConnection, entity: Entity) -> None:
    """Create the entity's raw table (contract columns + lineage) if it does not exist."""
    con.execute(f"create schema if not exists {RAW_SCHEMA}")
    cols = [f'"{c.name}" {DUCKDB_TYPES[c.type]}' for c in entity.columns]
    cols += [f"{name} {type_}" for name, type_ in LINEAGE_COLUMNS]
    con.execute(f"create table if not exists {qualified(entity)} ({', '.join(cols)})")


def existing_columns(con: duckdb.DuckDBPyConnection, entity: Entity) -> list[str]:
    rows = con.execute(
        "select column_name from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [RAW_SCHEMA, entity.raw_table],
    ).fetchall()
    return [r[0] for r in rows]


def add_extra_columns(con: duckdb.DuckDBPyConnection, entity: Entity, names: list[str]) -> None:
    """Add text columns for extra file columns not yet in the raw table."""
    have = set(existing_columns(con, entity))
    for name in names:
        if name not in have:
            quoted = '"' + name.replace('"', '""') + '"'
            con.execute(f"alter table {qualified(entity)} add column {quoted} varchar")
