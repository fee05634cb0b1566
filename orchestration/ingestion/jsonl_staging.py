"""Reading a landed JSON Lines file (one object per line) as text values, numbered by line.

API dumps and loaders write JSON Lines (``.jsonl``, ``.ndjson``, gzipped too); native
entities load them. Each non-blank line is a record: a JSON object becomes one row whose
columns are the object's keys (in order of first appearance in the file), every value as
text (``json_extract_string``: a nested object or array is kept as its JSON text, ``null`` is
empty). A line that is not a JSON object is rejected with its line number and text. Blank
lines are not data lines; line numbers are physical lines (first line = 1, there is no
header).
"""

from __future__ import annotations

import gzip
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from orchestration.ingestion.column_names import LandedColumns, landed_columns
from orchestration.ingestion.file_checks import FileRejected, check_required_columns, open_landed
from orchestration.ingestion.landed_files import LandedFile
from orchestration.ingestion.scratch import ERRORS, LANDED, LANDED_LINES, LINE, SPAN
from orchestration.ingestion.sql_text import literal

#: the file's non-blank lines, numbered (line, text)
JSONL_RECORDS = "_landed_jsonl_records"
_NOT_AN_OBJECT = "the line is not a JSON object (JSON Lines: one {...} object per line)"


@contextmanager
def _plain_text(landed: LandedFile) -> Iterator[str]:
    """A path DuckDB's ``read_text`` can read: the file, or its gunzipped copy."""
    if not landed.is_gzip:
        yield landed.duckdb_path
        return
    with tempfile.TemporaryDirectory(prefix="funnel-jsonl-") as folder:
        target = Path(folder) / "landed.jsonl"
        try:
            with gzip.open(landed.path, "rb") as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink)
        except (OSError, EOFError) as error:
            raise FileRejected(
                f"{landed.relative_path}: not a readable gzip file: {error}"
            ) from None
        yield str(target)


def stage_jsonl(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> tuple[LandedColumns, int]:
    """The file's columns and data-line count; its objects, as text, in LANDED_LINES and
    the lines that are not objects in ERRORS."""
    with _plain_text(landed) as readable:
        try:
            con.execute(
                f"""
                create or replace temp table {JSONL_RECORDS} as
                with split as (
                    select string_split(content, chr(10)) as lines
                    from read_text({literal(readable)})
                ),
                numbered as (
                    select unnest(lines) as text, generate_subscripts(lines, 1) as line
                    from split
                )
                select line, ltrim(rtrim(text, chr(13)), chr(65279)) as text
                from numbered
                where trim(ltrim(rtrim(text, chr(13)), chr(65279))) != ''
                """
            )
        except duckdb.Error as error:
            raise FileRejected(
                f"{landed.relative_path}: DuckDB could not read the file as JSON Lines "
                f"(UTF-8 text): {error}"
            ) from None
    con.execute(
        f"""
        create or replace temp table {ERRORS} as
        select line as record, line, 1 as span, cast(null as varchar) as column_name,
            {literal(_NOT_AN_OBJECT)} as reason, left(text, 1048576) as raw_text
        from {JSONL_RECORDS}
        where not case when json_valid(text) then json_type(text) = 'OBJECT' else false end
        """
    )
    keys = [
        row[0]
        for row in con.execute(
            f"""
            with valid as (
                select line, json_keys(text) as keys from {JSONL_RECORDS}
                where case when json_valid(text) then json_type(text) = 'OBJECT' else false end
            ),
            each_key as (
                select line, unnest(keys) as key, generate_subscripts(keys, 1) as position
                from valid
            )
            select key from each_key group by key order by min(line), min(position), key
            """
        ).fetchall()
    ]
    rows_in_row = con.execute(f"select count(*) from {JSONL_RECORDS}").fetchone()
    rows_in = int(rows_in_row[0]) if rows_in_row else 0
    if not keys:
        if rows_in == 0:
            raise FileRejected(f"{landed.relative_path}: the file holds no JSON object")
        raise FileRejected(
            f"{landed.relative_path}: line {_first_error_line(con)}: no line of the file is a "
            "JSON object; JSON Lines files hold one {...} object per line"
        )
    try:
        columns = landed_columns(keys, landed.relative_path, landed.entity)
    except FileRejected as problem:  # no header line: the keys are the objects' keys
        raise FileRejected(
            str(problem).replace(": line 1: ", ": the keys of the file's objects: ", 1)
        ) from None
    check_required_columns(landed.entity, columns.names, landed.relative_path)
    values = ", ".join(
        f"json_extract_string(text, {literal(_json_path(key))}) as {internal}"
        for key, internal in zip(keys, columns.internal, strict=True)
    )
    con.execute(
        f"""
        create or replace temp table {LANDED} as
        select line as {LINE}, {values} from {JSONL_RECORDS}
        where case when json_valid(text) then json_type(text) = 'OBJECT' else false end
        order by line
        """
    )
    con.execute(
        f"create or replace temp view {LANDED_LINES} as "
        f"select {LINE}, 1 as {SPAN}, * exclude ({LINE}) from {LANDED}"
    )
    return columns, rows_in


def _json_path(key: str) -> str:
    escaped = key.replace("\\", "\\\\").replace('"', '\\"')
    return f'$."{escaped}"'


def _first_error_line(con: duckdb.DuckDBPyConnection) -> int:
    found = con.execute(f"select min(line) from {ERRORS}").fetchone()
    return int(found[0]) if found and found[0] is not None else 1


def count_jsonl_lines(landed: LandedFile) -> int:
    """Data (non-blank) lines of a JSON Lines file rejected whole (0 when unreadable)."""
    try:
        with open_landed(landed.path) as handle:
            return sum(1 for line in handle if line.strip(b" \t\r\n"))
    except (OSError, EOFError):
        return 0
