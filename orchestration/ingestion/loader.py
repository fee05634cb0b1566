"""Load one landed file into its raw table, in one transaction, accounting for every line.

A file is loaded at most once into an entity (the manifest knows it by content hash and
entity, see :mod:`manifest`). Every data line of a file ends up in exactly one place: a raw
row, a row of ``raw._rejected_rows`` (with line and reason), or a continuation line of a
loaded record whose quoted value spans several lines. The loader checks
``rows_in = rows_loaded + rows_rejected + continuation_lines`` before it commits and rejects
the whole file if that does not hold. Blank lines are not data lines.

Line numbers (``_source_line``, the rejects' ``line``) are physical lines of the file as an
editor shows them, header = line 1; a record spanning several lines is numbered by its first.

A failure inside one file (anything but the machine running out of memory or being
interrupted) rejects that file with the error as its message, so the entity's later files
still load and the next build does not stop on it again.

The steps live in their own modules: column names (``column_names``), reading
(``csv_staging``, ``parquet_staging``), numbering lines (``line_numbers``), typing values and
why a value fails (``time_values``, ``reject_reasons``), the text of rejected records
(``record_text``) and the per-file transaction (``file_transaction``).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import duckdb

from orchestration.ingestion.column_names import landed_columns
from orchestration.ingestion.csv_staging import number_csv_records, read_csv_as_text
from orchestration.ingestion.file_checks import (
    FileRejected,
    check_required_columns,
    count_data_lines,
    read_header,
    scan_records,
)
from orchestration.ingestion.file_transaction import commit_loaded, commit_rejected
from orchestration.ingestion.jsonl_staging import count_jsonl_lines, stage_jsonl
from orchestration.ingestion.landed_files import (
    LandedFile,
    check_literal_path,
    file_sha256,
    readable_by_duckdb,
)
from orchestration.ingestion.load_result import FileLoadResult, Status
from orchestration.ingestion.manifest import BuildStamp, accounted_for, record_row
from orchestration.ingestion.parquet_staging import count_parquet_rows, stage_parquet
from orchestration.ingestion.raw_tables import create_bookkeeping, create_raw_table
from orchestration.landing_contract import Entity

__all__ = ["FileLoadResult", "Loader", "Status"]

#: failures of the machine, not of the file: they stop the run instead of rejecting the file
_ENVIRONMENT_FAILURES = (
    MemoryError,
    duckdb.OutOfMemoryException,
    duckdb.InterruptException,
    duckdb.FatalException,
)


class Loader:
    """Loads files of any entity through one open connection."""

    def __init__(self, con: duckdb.DuckDBPyConnection, stamp: BuildStamp) -> None:
        self.con = con
        self.stamp = stamp
        con.execute("set TimeZone = 'UTC'")
        # records are numbered by their order in the file
        con.execute("set preserve_insertion_order = true")
        create_bookkeeping(con)

    def ensure_table(self, entity: Entity) -> None:
        """Create the raw table even before any file lands, so dbt sources always exist."""
        create_raw_table(self.con, entity)

    def load(self, landed: LandedFile) -> FileLoadResult:
        try:
            file_hash = file_sha256(landed.path)
        except OSError as error:
            return self._unreadable(landed, error)
        already = accounted_for(self.con, file_hash, landed.entity.path)
        if already:
            return FileLoadResult(
                landed.relative_path,
                file_hash,
                "skipped",
                message=f"same content as {already[0]} ({already[1]})",
            )
        create_raw_table(self.con, landed.entity)
        with readable_by_duckdb(landed) as readable:
            return self._load_or_reject(readable, file_hash)

    def _load_or_reject(self, landed: LandedFile, file_hash: str) -> FileLoadResult:
        try:
            return self._load_new(landed, file_hash)
        except FileRejected as problem:
            return self._reject_file(landed, file_hash, str(problem))
        except _ENVIRONMENT_FAILURES:
            raise
        except Exception as error:  # a failure inside one file never blocks the next files
            return self._reject_file(
                landed,
                file_hash,
                f"{landed.relative_path}: the loader failed on this file "
                f"({type(error).__name__}: {error}); after fixing the cause, "
                f"`funnel retract {file_hash[:12]}` lets the same bytes load again",
            )

    def _load_new(self, landed: LandedFile, file_hash: str) -> FileLoadResult:
        check_literal_path(self.con, landed)
        if landed.format == "parquet":
            columns, rows_in = stage_parquet(self.con, landed)
        elif landed.format == "jsonl":
            columns, rows_in = stage_jsonl(self.con, landed)
        else:
            cells, _ = read_header(landed.path, landed.relative_path)
            columns = landed_columns(cells, landed.relative_path, landed.entity)
            check_required_columns(landed.entity, columns.names, landed.relative_path)
            # The line scan (Python) runs while DuckDB parses the same file (DuckDB releases
            # the GIL): the two reads overlap instead of adding up.
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="line-scan") as pool:
                scanning = pool.submit(scan_records, landed.path, landed.relative_path)
                try:
                    read_csv_as_text(self.con, landed, columns)
                except FileRejected:
                    scanning.result()  # a problem the scan found names its line: it wins
                    raise
                scan = scanning.result()
            rows_in = scan.data_lines
            number_csv_records(self.con, landed, columns, scan)
        return commit_loaded(self.con, landed, file_hash, columns, rows_in, self.stamp)

    def _unreadable(self, landed: LandedFile, error: OSError) -> FileLoadResult:
        """A file that cannot even be read is recorded as rejected without a hash, so the
        next build tries it again (it may only lack a permission)."""
        message = f"{landed.relative_path}: the file cannot be read: {error.strerror or error}"
        record_row(
            self.con,
            self.stamp,
            file_hash=None,
            entity=landed.entity.path,
            source_file=landed.relative_path,
            file_bytes=None,
            status="rejected",
            message=message,
        )
        return FileLoadResult(landed.relative_path, "", "rejected", message=message)

    def _reject_file(self, landed: LandedFile, file_hash: str, message: str) -> FileLoadResult:
        if landed.format == "csv":
            rows_in = count_data_lines(landed.path, landed.relative_path)
        elif landed.format == "jsonl":
            rows_in = count_jsonl_lines(landed)
        else:
            rows_in = count_parquet_rows(self.con, landed)
        return commit_rejected(self.con, landed, file_hash, rows_in, message, self.stamp)
