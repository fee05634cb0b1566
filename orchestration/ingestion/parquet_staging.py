"""Reading a landed Parquet file as text values, every row numbered (first row = 1)."""

from __future__ import annotations

import duckdb

from orchestration.ingestion.file_checks import (
    FileRejected,
    check_required_columns,
    check_reserved_names,
)
from orchestration.ingestion.landed_files import LandedFile
from orchestration.ingestion.scratch import ERRORS, LANDED_LINES, LINE, SPAN
from orchestration.ingestion.sql_text import identifier, literal


def stage_parquet(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> tuple[list[str], int]:
    """The file's normalised header and row count; its rows as LANDED_LINES."""
    try:
        described = con.execute(
            f"describe select * from read_parquet({literal(str(landed.path))})"
        ).fetchall()
    except duckdb.Error as error:
        raise FileRejected(
            f"{landed.relative_path}: not a readable Parquet file: {error}"
        ) from None
    header = [row[0].strip().lower() for row in described]
    original = [row[0] for row in described]
    check_reserved_names(header, landed.relative_path)
    check_required_columns(landed.entity, header, landed.relative_path)
    casts = ", ".join(
        f"cast({identifier(o)} as varchar) as {identifier(h)}"
        for o, h in zip(original, header, strict=True)
    )
    con.execute(
        f"create or replace temp table {ERRORS} (record bigint, line bigint, span bigint, "
        "column_name varchar, reason varchar, raw_text varchar)"
    )
    con.execute(
        f"""
        create or replace temp view {LANDED_LINES} as
        select file_row_number + 1 as {LINE}, 1 as {SPAN}, {casts}
        from read_parquet({literal(str(landed.path))}, file_row_number = true)
        """
    )
    rows_in = con.execute(f"select count(*) from {LANDED_LINES}").fetchone()
    return header, int(rows_in[0]) if rows_in else 0


def count_parquet_rows(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> int:
    """Rows of a Parquet file rejected whole (0 when it cannot be read)."""
    try:
        counted = con.execute(
            f"select count(*) from read_parquet({literal(str(landed.path))})"
        ).fetchone()
    except duckdb.Error:
        return 0
    return int(counted[0]) if counted else 0
