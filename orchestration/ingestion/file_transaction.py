"""The one transaction that writes a staged file to raw: its rows, its rejects, its manifest row.

Either everything of a file is written or nothing: the rows that load, a rejects row per
record that does not (with line, reason and text), and the manifest row, after checking
``rows_in = rows_loaded + rows_rejected + continuation_lines``. A file rejected whole writes
one rejects row covering all its data lines and a manifest row with the message.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from orchestration.ingestion.column_names import LandedColumns
from orchestration.ingestion.file_checks import FileRejected
from orchestration.ingestion.landed_files import LandedFile
from orchestration.ingestion.load_result import FileLoadResult
from orchestration.ingestion.manifest import BuildStamp, record_row
from orchestration.ingestion.raw_tables import (
    LINEAGE_COLUMNS,
    REJECTS_TABLE,
    add_extra_columns,
    qualified,
)
from orchestration.ingestion.record_text import record_texts
from orchestration.ingestion.reject_reasons import (
    LandedColumnSql,
    parse_sql,
    row_problems,
    typed_sql,
)
from orchestration.ingestion.scratch import (
    ERRORS,
    LANDED_CHECKED,
    LANDED_LINES,
    LINE,
    RAW_TEXT,
    REASON,
    REASON_COLUMN,
    RECORD_TEXTS,
    SPAN,
)
from orchestration.ingestion.sql_text import identifier, literal
from orchestration.ingestion.transaction import transaction

#: how many row rejects of a file are quoted in its result (all are in the rejects table)
REJECT_EXAMPLES = 5


def _checked_sql(landed: LandedFile, columns: Sequence[LandedColumnSql]) -> str:
    """SQL of LANDED_CHECKED: line, span, the typed values, the extra columns' text, the
    reason a record cannot load (and its column), and for Parquet the rejected row as JSON."""
    problems = row_problems(landed.entity, columns)
    reason = f"coalesce({', '.join(p for _, p in problems)})"
    reason_column = (
        "case " + " ".join(f"when {p} is not null then {literal(n)}" for n, p in problems) + " end"
    )
    parsed = [f"{sql} as {c.parsed}" for c in columns if (sql := parse_sql(c))]
    typed = [f"{typed_sql(c)} as {c.typed}" for c in columns if c.contract]
    kept = [c.typed if c.contract else c.text for c in columns]
    if landed.format != "csv":  # Parquet, JSON Lines: the rejected row as JSON
        row_json = "json_object(" + ", ".join(f"{literal(c.name)}, {c.text}" for c in columns)
        kept.append(
            f"case when {REASON} is not null then cast({row_json}) as varchar) end as {RAW_TEXT}"
        )
    return f"""
        with parsed as (select *{"".join(", " + p for p in parsed)} from {LANDED_LINES}),
        typed as (select *{"".join(", " + t for t in typed)} from parsed),
        checked as (
            select *, {reason} as {REASON}, {reason_column} as {REASON_COLUMN} from typed
        )
        select {LINE}, {SPAN}, {", ".join(kept)}, {REASON}, {REASON_COLUMN} from checked
    """


def _stage_record_texts(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> None:
    """RECORD_TEXTS: the text of every rejected CSV record, read from the file itself (empty
    for Parquet and JSON Lines, whose rejected rows are kept as JSON)."""
    con.execute(f"create or replace temp table {RECORD_TEXTS} (line bigint, raw_text varchar)")
    if landed.format != "csv":
        return
    rejected = con.execute(
        f"select {LINE}, {SPAN} from {LANDED_CHECKED} where {REASON} is not null "
        f"union all select line, span from {ERRORS} where line is not null"
    ).fetchall()
    texts = record_texts(landed.path, rejected)
    if texts:
        con.execute(
            f"insert into {RECORD_TEXTS} select unnest(?::bigint[]), unnest(?::varchar[])",
            [list(texts), list(texts.values())],
        )


def commit_loaded(
    con: duckdb.DuckDBPyConnection,
    landed: LandedFile,
    file_hash: str,
    columns: LandedColumns,
    rows_in: int,
    stamp: BuildStamp,
) -> FileLoadResult:
    """Write the staged records (LANDED_LINES) of one file in one transaction."""
    entity = landed.entity
    contract = {c.name: c for c in entity.columns}
    staged = [
        LandedColumnSql(name, position, contract.get(name))
        for position, name in enumerate(columns.names, start=1)
    ]
    by_name = {c.name: c for c in staged}
    extras = [c for c in staged if c.contract is None]
    con.execute(f"create or replace temp table {LANDED_CHECKED} as {_checked_sql(landed, staged)}")
    _stage_record_texts(con, landed)
    raw_text = f"checked.{RAW_TEXT}" if landed.format != "csv" else "texts.raw_text"

    with transaction(con):
        add_extra_columns(con, entity, [c.name for c in extras])
        target_columns = [c.name for c in entity.columns] + [c.name for c in extras]
        select_columns = [by_name[n].typed if n in by_name else "null" for n in contract] + [
            f"nullif({c.text}, '')" for c in extras
        ]
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
            [file_hash, landed.relative_path, stamp.at],
        )
        con.execute(
            f"""
            insert into {REJECTS_TABLE}
            select ?, ?, ?, checked.{LINE}, checked.{SPAN}, checked.{REASON_COLUMN},
                checked.{REASON}, {raw_text}, ?
            from {LANDED_CHECKED} as checked
            left join {RECORD_TEXTS} as texts on texts.line = checked.{LINE}
            where checked.{REASON} is not null
            union all
            select ?, ?, ?, errors.line, errors.span, errors.column_name, errors.reason,
                coalesce(texts.raw_text, errors.raw_text), ?
            from {ERRORS} as errors
            left join {RECORD_TEXTS} as texts on texts.line = errors.line
            """,
            [file_hash, entity.path, landed.relative_path, stamp.at] * 2,
        )
        counts = con.execute(
            f"""
            select
                (select count(*) from {LANDED_CHECKED} where {REASON} is null),
                (select coalesce(sum({SPAN} - 1), 0) from {LANDED_CHECKED}
                    where {REASON} is null),
                (select coalesce(sum(lines_spanned), 0) from {REJECTS_TABLE}
                    where file_hash = ? and entity = ?)
            """,
            [file_hash, entity.path],
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
            f"select line, reason from {REJECTS_TABLE} where file_hash = ? and entity = ? "
            f"order by line nulls first limit {REJECT_EXAMPLES}",
            [file_hash, entity.path],
        ).fetchall()
        record_row(
            con,
            stamp,
            file_hash=file_hash,
            entity=entity.path,
            source_file=landed.relative_path,
            file_bytes=landed.path.stat().st_size,
            status="loaded",
            rows_in=rows_in,
            rows_loaded=loaded,
            rows_rejected=rejected,
            continuation_lines=continuation,
            message=columns.note,
        )
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
    stamp: BuildStamp,
) -> FileLoadResult:
    """Record a file rejected whole: every data line rejected, the message in the manifest."""
    with transaction(con):
        if rows_in:
            con.execute(
                f"insert into {REJECTS_TABLE} values (?, ?, ?, null, ?, null, ?, null, ?)",
                [file_hash, landed.entity.path, landed.relative_path, rows_in, message, stamp.at],
            )
        record_row(
            con,
            stamp,
            file_hash=file_hash,
            entity=landed.entity.path,
            source_file=landed.relative_path,
            file_bytes=landed.path.stat().st_size,
            status="rejected",
            rows_in=rows_in,
            rows_rejected=rows_in,
            message=message,
        )
    return FileLoadResult(
        landed.relative_path,
        file_hash,
        "rejected",
        rows_in=rows_in,
        rows_rejected=rows_in,
        message=message,
    )
