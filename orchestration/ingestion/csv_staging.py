"""Reading a landed CSV file into a temp table of text values, every record numbered by line."""

from __future__ import annotations

import duckdb

from orchestration.ingestion.column_names import LandedColumns
from orchestration.ingestion.file_checks import FileRejected, LineScan
from orchestration.ingestion.landed_files import LandedFile
from orchestration.ingestion.line_numbers import (
    line_of_record,
    load_scan_facts,
    number_parse_errors,
    number_parsed_records,
)
from orchestration.ingestion.scratch import ERRORS, LANDED, PARSE_ERRORS, PARSE_SCANS
from orchestration.ingestion.sql_text import literal


def read_csv_as_text(
    con: duckdb.DuckDBPyConnection, landed: LandedFile, columns: LandedColumns
) -> None:
    """Parse the file with DuckDB into LANDED (positional text columns ``__c1``, ...; the
    header line is skipped); broken records go to DuckDB's rejects table instead of failing
    the read."""
    typed = ", ".join(f"{literal(name)}: 'varchar'" for name in columns.internal)
    con.execute(f"drop table if exists {PARSE_ERRORS}")
    con.execute(f"drop table if exists {PARSE_SCANS}")
    try:
        con.execute(
            f"""
            create or replace temp table {LANDED} as
            select * from read_csv(
                {literal(landed.duckdb_path)},
                compression = {literal("gzip" if landed.is_gzip else "none")},
                header = true, auto_detect = false, columns = {{{typed}}},
                delim = ',', quote = '"', escape = '"', strict_mode = true,
                store_rejects = true, rejects_table = '{PARSE_ERRORS}',
                rejects_scan = '{PARSE_SCANS}', rejects_limit = 0
            )
            """
        )
    except duckdb.Error as error:
        raise FileRejected(
            f"{landed.relative_path}: DuckDB could not read the file as CSV: {error}"
        ) from None


def number_csv_records(
    con: duckdb.DuckDBPyConnection, landed: LandedFile, columns: LandedColumns, scan: LineScan
) -> None:
    """Number the parsed records and the parse errors by line; check none went missing."""
    refuse_bad_encoding(con, landed, scan)
    load_scan_facts(con, scan)
    number_parse_errors(con, columns)
    number_parsed_records(con)
    counted = con.execute(
        f"select (select count(*) from {LANDED}), (select count(*) from {ERRORS})"
    ).fetchone()
    assert counted is not None
    parsed, errors = (int(v) for v in counted)
    if parsed + errors != scan.data_records:
        raise FileRejected(
            f"{landed.relative_path}: the CSV reader found {parsed} records and {errors} "
            f"broken ones, but the file has {scan.data_records} records; the file is "
            "rejected whole (check its quoting)"
        )


def refuse_bad_encoding(con: duckdb.DuckDBPyConnection, landed: LandedFile, scan: LineScan) -> None:
    bad = con.execute(
        f"select min(line) from {PARSE_ERRORS} "
        "where error_type in ('INVALID UNICODE', 'INVALID ENCODING')"
    ).fetchone()
    if bad and bad[0] is not None:
        raise FileRejected(
            f"{landed.relative_path}: line {line_of_record(int(bad[0]), scan)}: the file is not "
            "valid UTF-8 (for example cp1251 or Latin-1); the landing contract requires UTF-8"
        )
