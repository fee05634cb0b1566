"""The load manifest (``raw._load_manifest``): one row per file the builds have seen.

Statuses:

- ``loaded``: the file's rows are in its entity's raw table (some lines may be rejected);
- ``rejected``: the whole file was refused, with the reason in ``message``;
- ``retracted``: ``funnel retract`` took a loaded or rejected file out of raw;
- ``ignored``: a temp, lock or hidden file (see :mod:`landing_scan`), never read;
- ``unrecognised``: a file the contract does not place (wrong folder, unknown extension).

A file is *accounted for* in an entity when a ``loaded`` or ``rejected`` row has its bytes
(``file_hash``) and that entity: the same bytes landing there again, under any name, are
skipped. The same bytes in another entity folder are tried there (a file rejected because it
sat in the wrong folder loads once moved to the right one); retracted bytes load again.
Ignored and unrecognised rows describe the landing folder as the last build saw it: each
build replaces them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from orchestration.ingestion.raw_tables import MANIFEST_COLUMNS, MANIFEST_TABLE

ACCOUNTED_STATUSES = ("loaded", "rejected")
LANDING_STATUSES = ("ignored", "unrecognised")


@dataclass(frozen=True)
class BuildStamp:
    """Which build wrote a manifest row, and when (UTC, without zone)."""

    run_id: str
    at: datetime

    @classmethod
    def now(cls, run_id: str | None = None) -> BuildStamp:
        return cls(run_id or uuid.uuid4().hex, datetime.now(UTC).replace(tzinfo=None))


def accounted_for(
    con: duckdb.DuckDBPyConnection, file_hash: str, entity: str
) -> tuple[str, str] | None:
    """(source_file, status) of the first load of these bytes into ``entity``, if any."""
    found = con.execute(
        f"select source_file, status from {MANIFEST_TABLE} "
        "where file_hash = ? and entity = ? and status in ('loaded', 'rejected') "
        "order by loaded_at, source_file limit 1",
        [file_hash, entity],
    ).fetchone()
    return (str(found[0]), str(found[1])) if found else None


def record_row(
    con: duckdb.DuckDBPyConnection,
    stamp: BuildStamp,
    *,
    file_hash: str | None,
    entity: str | None,
    source_file: str,
    file_bytes: int | None,
    status: str,
    rows_in: int = 0,
    rows_loaded: int = 0,
    rows_rejected: int = 0,
    continuation_lines: int = 0,
    message: str | None = None,
) -> None:
    values = {
        "file_hash": file_hash,
        "entity": entity,
        "source_file": source_file,
        "file_bytes": file_bytes,
        "status": status,
        "rows_in": rows_in,
        "rows_loaded": rows_loaded,
        "rows_rejected": rows_rejected,
        "continuation_lines": continuation_lines,
        "message": message,
        "loaded_at": stamp.at,
        "run_id": stamp.run_id,
    }
    assert set(values) <= {name for name, _, _ in MANIFEST_COLUMNS}
    con.execute(
        f"insert into {MANIFEST_TABLE} ({', '.join(values)}) "
        f"values ({', '.join('?' for _ in values)})",
        list(values.values()),
    )


@dataclass(frozen=True)
class ManifestCounts:
    """Files per status, and rows loaded and rejected, of some manifest rows."""

    files: dict[str, int]
    rows_loaded: int = 0
    rows_rejected: int = 0

    def of(self, status: str) -> int:
        return self.files.get(status, 0)


def manifest_counts(con: duckdb.DuckDBPyConnection, run_id: str | None = None) -> ManifestCounts:
    """Counts of the rows one build wrote (``run_id``), or of the whole manifest (None).

    Rows of retracted files count as files 'retracted', not as rows loaded or rejected: they
    are no longer in raw.
    """
    where, params = ("where run_id = ?", [run_id]) if run_id is not None else ("", [])
    rows = con.execute(
        f"""
        select status, count(*),
            coalesce(sum(rows_loaded) filter (where status != 'retracted'), 0),
            coalesce(sum(rows_rejected) filter (where status != 'retracted'), 0)
        from {MANIFEST_TABLE} {where}
        group by status
        """,
        params,
    ).fetchall()
    return ManifestCounts(
        files={str(status): int(files) for status, files, _, _ in rows},
        rows_loaded=sum(int(r[2]) for r in rows),
        rows_rejected=sum(int(r[3]) for r in rows),
    )


def unrecognised_files(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The unrecognised files the last build saw, as "<path>: <reason>"."""
    rows = con.execute(
        f"select source_file, message from {MANIFEST_TABLE} where status = 'unrecognised' "
        "order by source_file"
    ).fetchall()
    return [f"{path}: {reason}" for path, reason in rows]
