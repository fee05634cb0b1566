"""Reading a landed Parquet file as text values, every row numbered (first row = 1)."""

from __future__ import annotations

import duckdb

from orchestration.ingestion.column_names import LandedColumns, landed_columns
from orchestration.ingestion.file_checks import FileRejected, check_required_columns
from orchestration.ingestion.landed_files import LandedFile
from orchestration.ingestion.scratch import ERRORS, LANDED, LANDED_LINES, LINE, SPAN
from orchestration.ingestion.sql_text import identifier, literal


def stage_parquet(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> tuple[LandedColumns, int]:
    """The file's columns and row count; its rows, as text, in LANDED_LINES.

    The rows are copied into a temp table of positional columns (``__c1``, ...) in file order
    (``preserve_insertion_order``), so a row's number is the table's ``rowid`` + 1 and no
    column of the file, whatever its name, meets a name DuckDB or the loader uses.
    """
    source = f"read_parquet({literal(landed.duckdb_path)})"
    try:
        described = con.execute(f"describe select * from {source}").fetchall()
    except duckdb.Error as error:
        raise FileRejected(
            f"{landed.relative_path}: not a readable Parquet file: {error}"
        ) from None
    columns = landed_columns([row[0] for row in described], landed.relative_path, landed.entity)
    check_required_columns(landed.entity, columns.names, landed.relative_path)
    casts = ", ".join(
        f"cast({identifier(row[0])} as varchar) as {internal}"
        for row, internal in zip(described, columns.internal, strict=True)
    )
    try:
        con.execute(f"create or replace temp table {LANDED} as select {casts} from {source}")
    except duckdb.Error as error:
        raise FileRejected(
            f"{landed.relative_path}: not a readable Parquet file: {error}"
        ) from None
    con.execute(
        f"create or replace temp table {ERRORS} (record bigint, line bigint, span bigint, "
        "column_name varchar, reason varchar, raw_text varchar)"
    )
    con.execute(
        f"create or replace temp view {LANDED_LINES} as "
        f"select rowid + 1 as {LINE}, 1 as {SPAN}, * from {LANDED}"
    )
    rows_in = con.execute(f"select count(*) from {LANDED}").fetchone()
    return columns, int(rows_in[0]) if rows_in else 0


def count_parquet_rows(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> int:
    """Rows of a Parquet file rejected whole (0 when it cannot be read)."""
    try:
        counted = con.execute(
            f"select count(*) from read_parquet({literal(landed.duckdb_path)})"
        ).fetchone()
    except duckdb.Error:
        return 0
    return int(counted[0]) if counted else 0
