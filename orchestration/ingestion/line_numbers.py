"""Numbering the records DuckDB parsed (or failed to parse) by the physical line they start on.

DuckDB's CSV reader numbers *records*: a blank line counts as one, a record whose quoted value
spans several lines counts once. The line scan (:func:`file_checks.scan_records`) knows which
records are blank and which span several lines; from those sparse facts this module gives
every parsed record and every parse error its physical line (header = line 1) and span.
"""

from __future__ import annotations

import duckdb

from orchestration.ingestion.column_names import LandedColumns
from orchestration.ingestion.file_checks import LineScan
from orchestration.ingestion.scratch import (
    BLANK,
    ERRORS,
    LANDED,
    LANDED_LINES,
    LINE,
    MULTI,
    PARSE_ERRORS,
    SPAN,
)
from orchestration.ingestion.sql_text import literal


def load_scan_facts(con: duckdb.DuckDBPyConnection, scan: LineScan) -> None:
    """Blank records, and records spanning several lines with the extra lines they add (so
    record r starts on line r + the extra lines of the records before it)."""
    con.execute(f"create or replace temp table {BLANK} (record bigint)")
    con.execute(
        f"create or replace temp table {MULTI} (record bigint, span bigint, extra_through bigint)"
    )
    if scan.blank:
        con.execute(f"insert into {BLANK} select unnest(?::bigint[])", [list(scan.blank)])
    if scan.multi_line:
        records, spans = zip(*scan.multi_line, strict=True)
        con.execute(
            f"""
            insert into {MULTI}
            select record, span, sum(span - 1) over (order by record)
            from (select unnest(?::bigint[]) as record, unnest(?::bigint[]) as span)
            """,
            [list(records), list(spans)],
        )


def line_of_record(record: int, scan: LineScan) -> int:
    """The physical line DuckDB's record number ``record`` starts on."""
    return record + sum(span - 1 for r, span in scan.multi_line if r < record)


def number_parse_errors(con: duckdb.DuckDBPyConnection, columns: LandedColumns) -> None:
    """One row per record DuckDB could not parse, with its line, span, column and reason."""
    landed_name = (
        "case column_name "
        + " ".join(f"when {literal(i)} then {literal(n)}" for n, i in columns.pairs)
        + " end"
    )
    con.execute(
        f"""
        create or replace temp table {ERRORS} as
        with errors as (
            select line as record,
                arg_min({landed_name}, coalesce(column_idx, -1)) as column_name,
                arg_min(error_type || ': ' || error_message, coalesce(column_idx, -1))
                    as reason,
                ltrim(any_value(csv_line), chr(13) || chr(10)) as raw_text
            from {PARSE_ERRORS}
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
        asof left join {MULTI} as before on errors.record > before.record
        left join {MULTI} as this on this.record = errors.record
        """
    )


def number_parsed_records(con: duckdb.DuckDBPyConnection) -> None:
    """The view of parsed records with their line and span.

    Parsed records fill, in order, the record numbers that are neither blank nor an error
    ("taken"): the n-th parsed record is record n + 1 + (taken records before it).
    """
    con.execute(
        f"""
        create or replace temp view {LANDED_LINES} as
        with taken as (
            select record from {ERRORS} where record is not null
            union
            select record from {BLANK}
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
        parsed as (select rowid + 1 as __ordinal, * from {LANDED}),
        numbered as (
            select parsed.*,
                parsed.__ordinal + 1 + coalesce(gap_steps.taken_through, 0) as __record
            from parsed
            asof left join gap_steps on parsed.__ordinal > gap_steps.parsed_before
        )
        select numbered.__record + coalesce(before.extra_through, 0) as {LINE},
            coalesce(this.span, 1) as {SPAN},
            numbered.* exclude (__ordinal, __record)
        from numbered
        asof left join {MULTI} as before on numbered.__record > before.record
        left join {MULTI} as this on this.record = numbered.__record
        """
    )
