"""The one transaction that writes a staged file to raw: its rows, its rejects, its manifest row.

Either everything of a file is written or nothing: the rows that load, a rejects row per
record that does not (with line, reason and text), and the manifest row, after checking
``rows_in = rows_loaded + rows_rejected + continuation_lines``. A file rejected whole writes
one rejects row covering all its data lines and a manifest row with the message.
"""

from __future__ import annotations

from datetime import datetime

import duckdb

from orchestration.ingestion.column_names import LandedColumns
from orchestration.ingestion.file_checks import FileRejected
from orchestration.ingestion.landed_files import LandedFile
from orchestration.ingestion.load_result import FileLoadResult, Status
from orchestration.ingestion.raw_tables import (
    LINEAGE_COLUMNS,
    MANIFEST_TABLE,
    REJECTS_TABLE,
    add_extra_columns,
    qualified,
)
from orchestration.ingestion.reject_reasons import row_problems, typed_value
from orchestration.ingestion.scratch import (
    ERRORS,
    LANDED_CHECKED,
    LANDED_LINES,
    LINE,
    REASON,
    REASON_COLUMN,
    SPAN,
)
from orchestration.ingestion.sql_text import identifier, literal

#: how many row rejects of a file are quoted in its result (all are in the rejects table)
REJECT_EXAMPLES = 5


def commit_loaded(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    file_hash: str,
    columns: LandedColumns,
    rows_in: int,
    loaded_at: datetime,
) -> FileLoadResult:
    """Write the staged records (LANDED_LINES) of one file in one transaction."""
    entity = landed.entity
    contract = {c.name: c for c in entity.columns}
    source = dict(columns.pairs)  # stored name -> internal column
    extras = [name for name in columns.names if name not in contract]

    problems = row_problems(entity, columns.pairs)
    reason_sql = f"coalesce({', '.join(p for _, p in problems)})"
    column_sql = (
        "case " + " ".join(f"when {p} is not null then {literal(n)}" for n, p in problems) + " end"
    )
    raw_text_sql = "concat_ws(',', " + ", ".join(columns.internal) + ")"

    con.execute("begin transaction")
    try:
        add_extra_columns(con, entity, extras)
        con.execute(
            f"""
            create or replace temp table {LANDED_CHECKED} as
            select *, {reason_sql} as {REASON}, {column_sql} as {REASON_COLUMN}
            from {LANDED_LINES}
            """
        )
        target_columns = [c.name for c in entity.columns] + extras
        select_columns = [
            typed_value(contract[n], source[n]) if n in source else "null" for n in contract
        ] + [f"nullif({source[n]}, '')" for n in extras]
        lineage = [name for name, _ in LINEAGE_COLUMNS]
        con.execute(
            f"""
            insert into {qualified(entity)} ({", ".join(map(identifier, target_columns + lineage))})
            select {", ".join(select_columns)},
                ?, ?, {LINE}, ?
            from {LANDED_CHECKED}
            where {REASON} is null
            order by {LINE}
            """,
            [file_hash, landed.relative_path, loaded_at],
        )
        con.execute(
            f"""
            insert into {REJECTS_TABLE}
            select ?, ?, ?, {LINE}, {SPAN}, {REASON_COLUMN}, {REASON},
                {raw_text_sql}, ?
            from {LANDED_CHECKED}
            where {REASON} is not null
            union all
            select ?, ?, ?, line, span, column_name, reason, raw_text, ?
            from {ERRORS}
            """,
            [file_hash, entity.path, landed.relative_path, loaded_at] * 2,
        )
        counts = con.execute(
            f"""
            select
                (select count(*) from {LANDED_CHECKED} where {REASON} is null),
                (select coalesce(sum({SPAN} - 1), 0) from {LANDED_CHECKED}
                    where {REASON} is null),
                (select coalesce(sum(lines_spanned), 0) from {REJECTS_TABLE}
                    where file_hash = ?)
            """,
            [file_hash],
        ).fetchone()
        assert counts is not None
        loaded, continuation, rejected = (int(v) for v in counts)
        if loaded + rejected + continuation != rows_in:
            raise FileRejected(
                f"{landed.relative_path}: could not account for every line: {rows_in} data "
                f"lines, {loaded} loaded, {rejected} rejected, {continuation} continuation "
                "lines; the file is rejected whole"
            )
        examples = con.execute(
            f"select line, reason from {REJECTS_TABLE} where file_hash = ? "
            f"order by line nulls first limit {REJECT_EXAMPLES}",
            [file_hash],
        ).fetchall()
        record_manifest_row(
            con,
            landed,
            file_hash,
            "loaded",
            rows_in,
            loaded,
            rejected,
            continuation,
            columns.note,
            loaded_at,
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return FileLoadResult(
        landed.relative_path,
        file_hash,
        "loaded",
        rows_in=rows_in,
        rows_loaded=loaded,
        rows_rejected=rejected,
        continuation_lines=continuation,
        message=columns.note,
        reject_examples=tuple(
            f"{landed.relative_path}: line {line}: {reason}" for line, reason in examples
        ),
    )


def commit_rejected(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    file_hash: str,
    rows_in: int,
    message: str,
    loaded_at: datetime,
) -> FileLoadResult:
    """Record a file rejected whole: every data line rejected, the message in the manifest."""
    con.execute("begin transaction")
    try:
        if rows_in:
            con.execute(
                f"insert into {REJECTS_TABLE} values (?, ?, ?, null, ?, null, ?, null, ?)",
                [file_hash, landed.entity.path, landed.relative_path, rows_in, message, loaded_at],
            )
        record_manifest_row(
            con, landed, file_hash, "rejected", rows_in, 0, rows_in, 0, message, loaded_at
        )
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
    return FileLoadResult(
        landed.relative_path,
        file_hash,
        "rejected",
        rows_in=rows_in,
        rows_rejected=rows_in,
        message=message,
    )


def record_manifest_row(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    file_hash: str,
    status: Status,
    rows_in: int,
    loaded: int,
    rejected: int,
    continuation: int,
    message: str | None,
    loaded_at: datetime,
) -> None:
    con.execute(
        f"insert into {MANIFEST_TABLE} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            file_hash,
            landed.entity.path,
            landed.relative_path,
            landed.path.stat().st_size,
            status,
            rows_in,
            loaded,
            rejected,
            continuation,
            message,
            loaded_at,
        ],
    )
