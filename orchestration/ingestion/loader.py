"""Load one landed file into its raw table, in one transaction, accounting for every line.

A file is loaded at most once (the manifest is keyed by content hash). Every data line of a
file ends up in exactly one place: a raw row, a row of ``raw._rejected_rows`` (with line and
reason), or a continuation line of a loaded record whose quoted value spans several lines.
The loader checks ``rows_in = rows_loaded + rows_rejected + continuation_lines`` before it
commits and rejects the whole file if that does not hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import duckdb

from orchestration.ingestion.file_checks import (
    FileRejected,
    check_required_columns,
    count_data_lines,
    inspect_csv,
)
from orchestration.ingestion.landed_files import LandedFile, file_sha256
from orchestration.ingestion.raw_tables import (
    LINEAGE_COLUMNS,
    MANIFEST_TABLE,
    REJECTS_TABLE,
    add_extra_columns,
    create_bookkeeping,
    create_raw_table,
    qualified,
)
from orchestration.landing_contract import DUCKDB_TYPES, Column, Entity

Status = Literal["loaded", "rejected", "skipped"]

_LANDED = "_landed_file"
_PARSE_ERRORS = "_landed_parse_errors"
_PARSE_SCANS = "_landed_parse_scans"

_TYPE_WORDS = {
    "timestamp": "an ISO-8601 timestamp (YYYY-MM-DD[THH:MM:SS][+HH:MM])",
    "date": "an ISO-8601 date (YYYY-MM-DD)",
    "decimal": "a number with '.' as decimal point and no thousand separators",
    "integer": "a whole number",
    "boolean": "a boolean (true/false)",
}


@dataclass(frozen=True)
class FileLoadResult:
    relative_path: str
    file_hash: str
    status: Status
    rows_in: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    continuation_lines: int = 0
    message: str | None = None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _typed(column: Column, source: str) -> str:
    """SQL turning the landed text ``source`` into the column's raw type (null if it fails)."""
    value = f"nullif(trim({source}), '')"
    if column.type == "text":
        return f"nullif({source}, '')"
    if column.type == "timestamp":
        return f"(try_cast({value} as timestamptz) at time zone 'UTC')"
    return f"try_cast({value} as {DUCKDB_TYPES[column.type]})"


def _problem(column: Column, source: str) -> str | None:
    """SQL giving the reason a value of this column makes its row unloadable, else null."""
    checks = []
    if column.not_empty:
        checks.append(
            f"when nullif(trim({source}), '') is null "
            f"then {_lit(f'{column.name} is empty but the contract requires a value')}"
        )
    if column.type != "text":
        reason = (
            f"{_lit(column.name + ': value ' + chr(39))} || {source} || "
            f"{_lit(chr(39) + ' is not ' + _TYPE_WORDS[column.type])}"
        )
        checks.append(
            f"when nullif(trim({source}), '') is not null and {_typed(column, source)} is null "
            f"then {reason}"
        )
    if not checks:
        return None
    return f"case {' '.join(checks)} end"


class Loader:
    """Loads files of any entity through one open connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, loaded_at: datetime) -> None:
        self.con = con
        self.loaded_at = loaded_at
        con.execute("set TimeZone = 'UTC'")
        create_bookkeeping(con)

    # -- public -------------------------------------------------------------------------

    def ensure_table(self, entity: Entity) -> None:
        """Create the raw table even before any file lands, so dbt sources always exist."""
        create_raw_table(self.con, entity)

    def load(self, landed: LandedFile) -> FileLoadResult:
        file_hash = file_sha256(landed.path)
        already = self.con.execute(
            f"select source_file, status from {MANIFEST_TABLE} where file_hash = ?", [file_hash]
        ).fetchone()
        if already:
            return FileLoadResult(
                landed.relative_path,
                file_hash,
                "skipped",
                message=f"same content as {already[0]} ({already[1]})",
            )
        create_raw_table(self.con, landed.entity)
        try:
            return self._load_new(landed, file_hash)
        except FileRejected as problem:
            return self._reject_file(landed, file_hash, str(problem))

    # -- steps --------------------------------------------------------------------------

    def _load_new(self, landed: LandedFile, file_hash: str) -> FileLoadResult:
        if landed.format == "parquet":
            header, rows_in = self._stage_parquet(landed)
        else:
            layout = inspect_csv(landed.path, landed.relative_path, landed.entity)
            header, rows_in = layout.header, layout.data_lines
            self._stage_csv(landed, header)
        self._refuse_bad_encoding(landed)
        return self._commit(landed, file_hash, header, rows_in)

    def _stage_csv(self, landed: LandedFile, header: list[str]) -> None:
        columns = ", ".join(f"{_lit(name)}: 'varchar'" for name in header)
        self.con.execute(f"drop table if exists {_PARSE_ERRORS}")
        self.con.execute(f"drop table if exists {_PARSE_SCANS}")
        self.con.execute(
            f"""
            create or replace temp table {_LANDED} as
            select * from read_csv(
                {_lit(str(landed.path))},
                header = true, auto_detect = false, columns = {{{columns}}},
                delim = ',', quote = '"', escape = '"', strict_mode = true,
                store_rejects = true, rejects_table = '{_PARSE_ERRORS}',
                rejects_scan = '{_PARSE_SCANS}', rejects_limit = 0
            )
            """
        )
        # Record lines as DuckDB counts them (header = 1); a parse error removes a record,
        # so the n-th parsed record sits on the n-th line not taken by an error.
        self.con.execute(
            f"""
            create or replace temp table {_LANDED}_lines as
            with errors as (
                select distinct line from {_PARSE_ERRORS} where line is not null
            ),
            gaps as (
                select line - 1 - row_number() over (order by line) as parsed_before
                from errors
            ),
            parsed as (select rowid + 1 as ordinal, * from {_LANDED})
            select
                parsed.ordinal + 1 + (
                    select count(*) from gaps where gaps.parsed_before < parsed.ordinal
                ) as _line,
                parsed.* exclude (ordinal)
            from parsed
            """
        )

    def _stage_parquet(self, landed: LandedFile) -> tuple[list[str], int]:
        try:
            described = self.con.execute(
                f"describe select * from read_parquet({_lit(str(landed.path))})"
            ).fetchall()
        except duckdb.Error as error:
            raise FileRejected(
                f"{landed.relative_path}: not a readable Parquet file: {error}"
            ) from None
        header = [row[0].strip().lower() for row in described]
        original = [row[0] for row in described]
        check_required_columns(landed.entity, header, landed.relative_path)
        casts = ", ".join(
            f"cast({_q(o)} as varchar) as {_q(h)}" for o, h in zip(original, header, strict=True)
        )
        self.con.execute(f"drop table if exists {_PARSE_ERRORS}")
        self.con.execute(
            f"create temp table {_PARSE_ERRORS} (line bigint, error_type varchar, "
            "column_name varchar, error_message varchar, csv_line varchar)"
        )
        self.con.execute(
            f"""
            create or replace temp table {_LANDED}_lines as
            select file_row_number + 1 as _line, {casts}
            from read_parquet({_lit(str(landed.path))}, file_row_number = true)
            """
        )
        rows_in = self.con.execute(f"select count(*) from {_LANDED}_lines").fetchone()
        return header, int(rows_in[0]) if rows_in else 0

    def _refuse_bad_encoding(self, landed: LandedFile) -> None:
        bad = self.con.execute(
            f"select min(line) from {_PARSE_ERRORS} "
            "where error_type in ('INVALID UNICODE', 'INVALID ENCODING')"
        ).fetchone()
        if bad and bad[0] is not None:
            raise FileRejected(
                f"{landed.relative_path}: line {bad[0]}: the file is not valid UTF-8 (for "
                "example cp1251 or Latin-1); the landing contract requires UTF-8"
            )

    def _commit(
        self, landed: LandedFile, file_hash: str, header: list[str], rows_in: int
    ) -> FileLoadResult:
        entity = landed.entity
        contract = {c.name: c for c in entity.columns}
        extras = [name for name in header if name not in contract]
        present = set(header)

        problems = [
            p for c in entity.columns if c.name in present if (p := _problem(c, _q(c.name)))
        ]
        problem_columns = [c.name for c in entity.columns if c.name in present and _problem(c, "x")]
        reason_sql = f"coalesce({', '.join(problems)})" if problems else "null::varchar"
        column_sql = (
            "case "
            + " ".join(
                f"when {_problem(contract[n], _q(n))} is not null then {_lit(n)}"
                for n in problem_columns
            )
            + " end"
            if problem_columns
            else "null::varchar"
        )
        newline_sql = (
            " + ".join(
                f"coalesce(length({_q(n)}) - length(replace({_q(n)}, chr(10), '')), 0)"
                for n in header
            )
            or "0"
        )
        raw_text_sql = "concat_ws(',', " + ", ".join(_q(n) for n in header) + ")"

        self.con.execute("begin transaction")
        try:
            add_extra_columns(self.con, entity, extras)
            self.con.execute(
                f"""
                create or replace temp table {_LANDED}_checked as
                select *, {reason_sql} as _reason, {column_sql} as _reason_column,
                    {newline_sql} as _newlines
                from {_LANDED}_lines
                """
            )
            target_columns = [c.name for c in entity.columns] + extras
            select_columns = [
                _typed(contract[n], _q(n)) if n in present else "null" for n in contract
            ] + [f"nullif({_q(n)}, '')" for n in extras]
            lineage = [name for name, _ in LINEAGE_COLUMNS]
            self.con.execute(
                f"""
                insert into {qualified(entity)} ({", ".join(map(_q, target_columns + lineage))})
                select {", ".join(select_columns)},
                    ?, ?, _line, ?
                from {_LANDED}_checked
                where _reason is null
                order by _line
                """,
                [file_hash, landed.relative_path, self.loaded_at],
            )
            self.con.execute(
                f"""
                insert into {REJECTS_TABLE}
                select ?, ?, ?, _line, 1 + _newlines, _reason_column, _reason,
                    {raw_text_sql}, ?
                from {_LANDED}_checked
                where _reason is not null
                union all
                select ?, ?, ?, line,
                    1 + length(rtrim(csv_line, chr(13) || chr(10)))
                      - length(replace(rtrim(csv_line, chr(13) || chr(10)), chr(10), '')),
                    arg_min(column_name, coalesce(column_idx, -1)),
                    arg_min(error_type || ': ' || error_message, coalesce(column_idx, -1)),
                    any_value(csv_line), ?
                from {_PARSE_ERRORS}
                group by line, csv_line
                """,
                [
                    file_hash,
                    entity.path,
                    landed.relative_path,
                    self.loaded_at,
                    file_hash,
                    entity.path,
                    landed.relative_path,
                    self.loaded_at,
                ],
            )
            counts = self.con.execute(
                f"""
                select
                    (select count(*) from {_LANDED}_checked where _reason is null),
                    (select coalesce(sum(_newlines), 0) from {_LANDED}_checked
                        where _reason is null),
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
            self._record(landed, file_hash, "loaded", rows_in, loaded, rejected, continuation, None)
            self.con.execute("commit")
        except BaseException:
            self.con.execute("rollback")
            raise
        return FileLoadResult(
            landed.relative_path,
            file_hash,
            "loaded",
            rows_in=rows_in,
            rows_loaded=loaded,
            rows_rejected=rejected,
            continuation_lines=continuation,
        )

    def _reject_file(self, landed: LandedFile, file_hash: str, message: str) -> FileLoadResult:
        rows_in = count_data_lines(landed.path) if landed.format == "csv" else 0
        self.con.execute("begin transaction")
        try:
            if rows_in:
                self.con.execute(
                    f"insert into {REJECTS_TABLE} values (?, ?, ?, null, ?, null, ?, null, ?)",
                    [
                        file_hash,
                        landed.entity.path,
                        landed.relative_path,
                        rows_in,
                        message,
                        self.loaded_at,
                    ],
                )
            self._record(landed, file_hash, "rejected", rows_in, 0, rows_in, 0, message)
            self.con.execute("commit")
        except BaseException:
            self.con.execute("rollback")
            raise
        return FileLoadResult(
            landed.relative_path,
            file_hash,
            "rejected",
            rows_in=rows_in,
            rows_rejected=rows_in,
            message=message,
        )

    def _record(
        self,
        landed: LandedFile,
        file_hash: str,
        status: Status,
        rows_in: int,
        loaded: int,
        rejected: int,
        continuation: int,
        message: str | None,
    ) -> None:
        self.con.execute(
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
                self.loaded_at,
            ],
        )
