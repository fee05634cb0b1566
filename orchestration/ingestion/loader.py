"""Load one landed file into its raw table, in one transaction, accounting for every line.

A file is loaded at most once (the manifest is keyed by content hash). Every data line of a
file ends up in exactly one place: a raw row, a row of ``raw._rejected_rows`` (with line and
reason), or a continuation line of a loaded record whose quoted value spans several lines.
The loader checks ``rows_in = rows_loaded + rows_rejected + continuation_lines`` before it
commits and rejects the whole file if that does not hold. Blank lines are not data lines.

Line numbers (``_source_line``, the rejects' ``line``) are physical lines of the file as an
editor shows them, header = line 1; a record spanning several lines is numbered by its first.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import duckdb

from orchestration.ingestion.file_checks import (
    FileRejected,
    LineScan,
    check_required_columns,
    check_reserved_names,
    count_data_lines,
    read_header,
    scan_records,
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

#: how many row rejects of a file are quoted in its result (all are in the rejects table)
REJECT_EXAMPLES = 5

# Temp tables of one file load; internal columns carry a prefix no landed column may use.
_LANDED = "_landed_file"
_PARSE_ERRORS = "_landed_parse_errors"
_PARSE_SCANS = "_landed_parse_scans"
_ERRORS = "_landed_errors"
_BLANK = "_landed_blank_records"
_MULTI = "_landed_multi_line_records"
_LINE, _SPAN, _REASON, _REASON_COLUMN = "__line", "__span", "__reason", "__reason_column"

_TYPE_WORDS = {
    "timestamp": "an ISO-8601 timestamp (YYYY-MM-DD[THH:MM:SS][+HH:MM])",
    "date": "an ISO-8601 date (YYYY-MM-DD)",
    "decimal": "a number with '.' as decimal point and no thousand separators",
    "integer": "a whole number",
    "boolean": "a boolean (true/false)",
}
_NUL_BYTE = "the value contains a NUL byte (0x00), which the landing contract does not allow"
_NO_SEPARATORS = "the contract requires '.' as decimal point and no thousand separators"

# Shapes of landed values (RE2, matched against the trimmed value).
_PLAIN_DECIMAL = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
_PLAIN_INTEGER = r"[+-]?\d+(\.0*)?"
_COMMA_GROUPS = r"[+-]?\d{1,3},\d{3}"  # 1,000: a thousand separator or a decimal comma
_DECIMAL_COMMA = r"[+-]?\d*,\d+"
_THOUSANDS = "[+-]?\\d{1,3}([,.' _\u00a0\u202f]\\d{3})+([.,]\\d+)?"
_ISO_DATE_START = r"\d{4}-\d{1,2}-\d{1,2}([T ].*)?"
_DAY_MONTH_YEAR = r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}([T ].*)?"


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
    #: the first row rejects as "<file>: line <n>: <reason>" (all are in raw._rejected_rows)
    reject_examples: tuple[str, ...] = ()


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


def _value_reason(column: Column, source: str, words: str) -> str:
    """SQL text "<column>: value '<value>' <words>" (the value cut at 100 characters)."""
    return (
        f"{_lit(column.name + ': value ' + chr(39))} || left({source}, 100) || "
        f"{_lit(chr(39) + ' ' + words)}"
    )


def _type_problem(column: Column, source: str) -> str:
    """SQL giving why a non-empty value is not of the column's type, else null."""
    value = f"trim({source})"
    typed = _typed(column, source)
    generic = _value_reason(column, source, "is not " + _TYPE_WORDS[column.type])

    def shape(pattern: str) -> str:
        return f"regexp_full_match({value}, {_lit(pattern)})"

    if column.type in ("decimal", "integer"):
        if column.type == "decimal":
            plain, out_of_range = (
                _PLAIN_DECIMAL,
                "is out of range: decimal(38, 9) holds at most 29 digits before the decimal point",
            )
        else:
            plain, out_of_range = (
                _PLAIN_INTEGER,
                "is out of range for a whole number (64-bit integer)",
            )
        whens = [
            f"when {shape(plain)} and {typed} is null "
            f"then {_value_reason(column, source, out_of_range)}",
            f"when {shape(plain)} then null",
            f"when {shape(_COMMA_GROUPS)} then "
            + _value_reason(
                column,
                source,
                f"has a ',' that is either a thousand separator or a decimal comma; "
                f"{_NO_SEPARATORS}",
            ),
            f"when {shape(_DECIMAL_COMMA)} then "
            + _value_reason(column, source, f"uses a decimal comma; {_NO_SEPARATORS}"),
            f"when {shape(_THOUSANDS)} then "
            + _value_reason(column, source, f"uses a thousand separator; {_NO_SEPARATORS}"),
        ]
        if column.type == "integer":
            whens.append(
                f"when {shape(_PLAIN_DECIMAL)} then "
                + _value_reason(column, source, "is not a whole number")
            )
        return f"case {' '.join(whens)} else {generic} end"
    if column.type in ("date", "timestamp"):
        ambiguous = _value_reason(
            column,
            source,
            f"is not {_TYPE_WORDS[column.type]}: a day/month/year or month/day/year date is "
            "ambiguous",
        )
        invalid = _value_reason(
            column, source, f"is not {_TYPE_WORDS[column.type]}: not a valid calendar date or time"
        )
        return (
            f"case when {shape(_ISO_DATE_START)} and {typed} is not null then null "
            f"when {shape(_ISO_DATE_START)} then {invalid} "
            f"when {shape(_DAY_MONTH_YEAR)} then {ambiguous} else {generic} end"
        )
    return f"case when {typed} is null then {generic} end"


def _problems(entity: Entity, header: list[str]) -> list[tuple[str, str]]:
    """(column, SQL giving the reason the row cannot load, else null), first match wins."""
    contract = {c.name: c for c in entity.columns}
    found = [
        (
            name,
            f"case when contains({_q(name)}, chr(0)) then {_lit(name + ': ' + _NUL_BYTE)} end",
        )
        for name in header
    ]
    for name in header:
        column = contract.get(name)
        if column is None:
            continue
        source = _q(name)
        checks = []
        if column.not_empty:
            checks.append(
                f"when nullif(trim({source}), '') is null "
                f"then {_lit(f'{name} is empty but the contract requires a value')}"
            )
        if column.type != "text":
            checks.append(
                f"when nullif(trim({source}), '') is not null then {_type_problem(column, source)}"
            )
        if checks:
            found.append((name, f"case {' '.join(checks)} end"))
    return found


class Loader:
    """Loads files of any entity through one open connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, loaded_at: datetime) -> None:
        self.con = con
        self.loaded_at = loaded_at
        con.execute("set TimeZone = 'UTC'")
        # records are numbered by their order in the file
        con.execute("set preserve_insertion_order = true")
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
            header, _ = read_header(landed.path, landed.relative_path)
            check_required_columns(landed.entity, header, landed.relative_path)
            # The line scan (Python) runs while DuckDB parses the same file (DuckDB releases
            # the GIL): the two reads overlap instead of adding up.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="line-scan") as pool:
                scanning = pool.submit(scan_records, landed.path, landed.relative_path)
                try:
                    self._read_csv(landed, header)
                except FileRejected:
                    scanning.result()  # a problem the scan found names its line: it wins
                    raise
                scan = scanning.result()
            rows_in = scan.data_lines
            self._stage_csv(landed, scan)
        return self._commit(landed, file_hash, header, rows_in)

    def _read_csv(self, landed: LandedFile, header: list[str]) -> None:
        columns = ", ".join(f"{_lit(name)}: 'varchar'" for name in header)
        self.con.execute(f"drop table if exists {_PARSE_ERRORS}")
        self.con.execute(f"drop table if exists {_PARSE_SCANS}")
        try:
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
        except duckdb.Error as error:
            raise FileRejected(
                f"{landed.relative_path}: DuckDB could not read the file as CSV: {error}"
            ) from None

    def _stage_csv(self, landed: LandedFile, scan: LineScan) -> None:
        self._refuse_bad_encoding(landed, scan)

        # The scan's sparse facts: blank records, and records spanning several lines with
        # the extra lines they add (so record r starts on line r + extra lines before it).
        self.con.execute(f"create or replace temp table {_BLANK} (record bigint)")
        self.con.execute(
            f"create or replace temp table {_MULTI} (record bigint, span bigint, "
            "extra_through bigint)"
        )
        if scan.blank:
            self.con.execute(f"insert into {_BLANK} select unnest(?::bigint[])", [list(scan.blank)])
        if scan.multi_line:
            records, spans = zip(*scan.multi_line, strict=True)
            self.con.execute(
                f"""
                insert into {_MULTI}
                select record, span, sum(span - 1) over (order by record)
                from (select unnest(?::bigint[]) as record, unnest(?::bigint[]) as span)
                """,
                [list(records), list(spans)],
            )
        # A parse error names DuckDB's record number; one row per record.
        self.con.execute(
            f"""
            create or replace temp table {_ERRORS} as
            with errors as (
                select line as record,
                    arg_min(column_name, coalesce(column_idx, -1)) as column_name,
                    arg_min(error_type || ': ' || error_message, coalesce(column_idx, -1))
                        as reason,
                    ltrim(any_value(csv_line), chr(13) || chr(10)) as raw_text
                from {_PARSE_ERRORS}
                group by line
            )
            select errors.record,
                errors.record + coalesce(before.extra_through, 0) as line,
                coalesce(this.span, 1) as span,
                errors.column_name,
                case when contains(errors.raw_text, chr(0))
                    then 'the line contains a NUL byte (0x00), which the landing contract '
                        || 'does not allow (' || errors.reason || ')'
                    else errors.reason end as reason,
                errors.raw_text
            from errors
            asof left join {_MULTI} as before on errors.record > before.record
            left join {_MULTI} as this on this.record = errors.record
            """
        )
        # Parsed records fill, in order, the record numbers that are neither blank nor an
        # error ("taken"): the n-th parsed record is record n + 1 + (taken records before it).
        self.con.execute(
            f"""
            create or replace temp view {_LANDED}_lines as
            with taken as (
                select record from {_ERRORS} where record is not null
                union
                select record from {_BLANK}
            ),
            gaps as (
                select record - 1 - row_number() over (order by record) as parsed_before,
                    row_number() over (order by record) as taken_through
                from taken
            ),
            gap_steps as (
                select parsed_before, max(taken_through) as taken_through
                from gaps group by parsed_before
            ),
            parsed as (select rowid + 1 as __ordinal, * from {_LANDED}),
            numbered as (
                select parsed.*,
                    parsed.__ordinal + 1 + coalesce(gap_steps.taken_through, 0) as __record
                from parsed
                asof left join gap_steps on parsed.__ordinal > gap_steps.parsed_before
            )
            select numbered.__record + coalesce(before.extra_through, 0) as {_LINE},
                coalesce(this.span, 1) as {_SPAN},
                numbered.* exclude (__ordinal, __record)
            from numbered
            asof left join {_MULTI} as before on numbered.__record > before.record
            left join {_MULTI} as this on this.record = numbered.__record
            """
        )
        counted = self.con.execute(
            f"select (select count(*) from {_LANDED}), (select count(*) from {_ERRORS})"
        ).fetchone()
        assert counted is not None
        parsed, errors = (int(v) for v in counted)
        if parsed + errors != scan.data_records:
            raise FileRejected(
                f"{landed.relative_path}: the CSV reader found {parsed} records and {errors} "
                f"broken ones, but the file has {scan.data_records} records; the file is "
                "rejected whole (check its quoting)"
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
        check_reserved_names(header, landed.relative_path)
        check_required_columns(landed.entity, header, landed.relative_path)
        casts = ", ".join(
            f"cast({_q(o)} as varchar) as {_q(h)}" for o, h in zip(original, header, strict=True)
        )
        self.con.execute(
            f"create or replace temp table {_ERRORS} (record bigint, line bigint, span bigint, "
            "column_name varchar, reason varchar, raw_text varchar)"
        )
        self.con.execute(
            f"""
            create or replace temp view {_LANDED}_lines as
            select file_row_number + 1 as {_LINE}, 1 as {_SPAN}, {casts}
            from read_parquet({_lit(str(landed.path))}, file_row_number = true)
            """
        )
        rows_in = self.con.execute(f"select count(*) from {_LANDED}_lines").fetchone()
        return header, int(rows_in[0]) if rows_in else 0

    def _refuse_bad_encoding(self, landed: LandedFile, scan: LineScan) -> None:
        bad = self.con.execute(
            f"select min(line) from {_PARSE_ERRORS} "
            "where error_type in ('INVALID UNICODE', 'INVALID ENCODING')"
        ).fetchone()
        if bad and bad[0] is not None:
            record = int(bad[0])
            line = record + sum(span - 1 for r, span in scan.multi_line if r < record)
            raise FileRejected(
                f"{landed.relative_path}: line {line}: the file is not valid UTF-8 (for "
                "example cp1251 or Latin-1); the landing contract requires UTF-8"
            )

    def _commit(
        self, landed: LandedFile, file_hash: str, header: list[str], rows_in: int
    ) -> FileLoadResult:
        entity = landed.entity
        contract = {c.name: c for c in entity.columns}
        extras = [name for name in header if name not in contract]
        present = set(header)

        problems = _problems(entity, header)
        reason_sql = f"coalesce({', '.join(p for _, p in problems)})"
        column_sql = (
            "case " + " ".join(f"when {p} is not null then {_lit(n)}" for n, p in problems) + " end"
        )
        raw_text_sql = "concat_ws(',', " + ", ".join(_q(n) for n in header) + ")"

        self.con.execute("begin transaction")
        try:
            add_extra_columns(self.con, entity, extras)
            self.con.execute(
                f"""
                create or replace temp table {_LANDED}_checked as
                select *, {reason_sql} as {_REASON}, {column_sql} as {_REASON_COLUMN}
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
                    ?, ?, {_LINE}, ?
                from {_LANDED}_checked
                where {_REASON} is null
                order by {_LINE}
                """,
                [file_hash, landed.relative_path, self.loaded_at],
            )
            self.con.execute(
                f"""
                insert into {REJECTS_TABLE}
                select ?, ?, ?, {_LINE}, {_SPAN}, {_REASON_COLUMN}, {_REASON},
                    {raw_text_sql}, ?
                from {_LANDED}_checked
                where {_REASON} is not null
                union all
                select ?, ?, ?, line, span, column_name, reason, raw_text, ?
                from {_ERRORS}
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
                    (select count(*) from {_LANDED}_checked where {_REASON} is null),
                    (select coalesce(sum({_SPAN} - 1), 0) from {_LANDED}_checked
                        where {_REASON} is null),
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
            examples = self.con.execute(
                f"select line, reason from {REJECTS_TABLE} where file_hash = ? "
                f"order by line nulls first limit {REJECT_EXAMPLES}",
                [file_hash],
            ).fetchall()
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
            reject_examples=tuple(
                f"{landed.relative_path}: line {line}: {reason}" for line, reason in examples
            ),
        )

    def _reject_file(self, landed: LandedFile, file_hash: str, message: str) -> FileLoadResult:
        rows_in = (
            count_data_lines(landed.path, landed.relative_path)
            if landed.format == "csv"
            else self._count_parquet_rows(landed)
        )
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

    def _count_parquet_rows(self, landed: LandedFile) -> int:
        """Rows of a Parquet file rejected whole (0 when it cannot be read)."""
        try:
            counted = self.con.execute(
                f"select count(*) from read_parquet({_lit(str(landed.path))})"
            ).fetchone()
        except duckdb.Error:
            return 0
        return int(counted[0]) if counted else 0

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
