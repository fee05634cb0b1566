"""Build the serving file aside, then swap it into place atomically.

Only the nightly build writes the warehouse. dbt builds the marts into their own DuckDB file
next to it, ``<warehouse>.marts.duckdb`` (``marts_path``; attached as ``marts_db`` by
profiles.yml, created in DuckDB storage version ``v1.0.0``). After a build whose dbt tests all
passed, that file is checkpointed and copied whole to ``<serving>/versions/.building-<version>``;
the copy gets the marts' dbt descriptions as table and column comments and a ``meta`` schema
(the version, and each mart's row count), is checkpointed, fsynced, renamed to
``funnel-<version>.duckdb`` and hard-linked over ``<serving>/funnel.duckdb`` with an atomic
rename. A reader that has the old file open keeps reading the old version; a crash at any point
leaves the previous serving file whole. The last ``keep`` versions stay in ``versions/`` for
rollback. A build whose tests failed publishes nothing (the caller never calls ``publish``).

So every mart is written once, by dbt, and publishing costs a file copy (issue 17): copying the
marts table by table into a new file took 31 s at 1M leads, the file copy 0.4 s
(BENCHMARKS.md). The marts file holds nothing but the ``marts`` schema (no raw or staging data
reaches a reader), and a view there would name the build's catalog, so a mart that is a view
fails the publication with its name.

The serving file is in DuckDB storage version ``v1.0.0`` on purpose: BI drivers often bundle an
older DuckDB, and every DuckDB from 1.0 on (and the 2.x line) reads that format. A marts file
in another storage version (not created by the profile) fails the publication.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.warehouse import DEFAULT_MEMORY_LIMIT, DEFAULT_THREADS, marts_path

SERVING_NAME = "funnel.duckdb"
STORAGE_VERSION = "v1.0.0"
PUBLISHED_SCHEMAS = ("marts",)
#: the same memory and thread budget as the build, so publishing never holds more than it does
PUBLISH_SETTINGS = {
    "autoinstall_known_extensions": "false",
    "threads": os.environ.get("FUNNEL_DUCKDB_THREADS", DEFAULT_THREADS),
    "memory_limit": os.environ.get("FUNNEL_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
}


class PublishError(RuntimeError):
    """The marts file cannot be published as it is (the message says why)."""


@dataclass(frozen=True)
class Publication:
    version: str
    path: Path
    version_path: Path
    #: ``<schema>.<table>`` -> row count, for every published mart
    tables: dict[str, int]
    #: bytes of the published file
    file_bytes: int = 0


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _descriptions(manifest_path: Path | None) -> dict[str, tuple[str, dict[str, str]]]:
    """Model name -> (description, {column: description}) from dbt's manifest ({} without)."""
    if manifest_path is None or not manifest_path.exists():
        return {}
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") != "model":
            continue
        columns = {
            name: column.get("description", "") for name, column in node.get("columns", {}).items()
        }
        found[node["name"]] = (node.get("description", ""), columns)
    return found


def current_serving_version(serving_dir: Path) -> str | None:
    """The version the serving file holds now, or None when nothing is published."""
    path = serving_dir / SERVING_NAME
    if not path.exists():
        return None
    with duckdb.connect(str(path), read_only=True) as con:
        row = con.execute("select version from meta.publication").fetchone()
    return str(row[0]) if row else None


def _clean_leftovers(versions_dir: Path) -> None:
    for leftover in versions_dir.glob(".building-*"):
        leftover.unlink(missing_ok=True)


def _checkpoint(marts: Path) -> None:
    """Merge a write-ahead log the build left into the marts file (dbt checkpoints when it
    closes the file; a build killed after its tests passed may not have), so the copy is whole."""
    with duckdb.connect(config=PUBLISH_SETTINGS) as con:
        con.execute(f"attach {_sql_string(str(marts))} as marts_file")
        con.execute("checkpoint marts_file")
        con.execute("detach marts_file")


def _check_copy(con: duckdb.DuckDBPyConnection, marts: Path) -> list[tuple[str, str]]:
    """The published tables of the copy attached as ``serving`` ((schema, name), sorted), after
    checking its storage version, that it holds no view and nothing outside the marts."""
    row = con.execute(
        "select tags['storage_version'] from duckdb_databases() where database_name = 'serving'"
    ).fetchone()
    storage = str(row[0]) if row and row[0] is not None else ""
    if not storage.startswith(STORAGE_VERSION):
        raise PublishError(
            f"{marts} is in DuckDB storage version {storage or 'unknown'}, not {STORAGE_VERSION} "
            "(what BI drivers read): it was not created by the build's profile. Delete it and "
            "build again; dbt creates it whole."
        )
    views = con.execute(
        "select schema_name || '.' || view_name from duckdb_views() "
        "where database_name = 'serving' and not internal order by 1"
    ).fetchall()
    if views:
        raise PublishError(
            f"{marts} holds views ({', '.join(str(v[0]) for v in views)}): a view names the "
            "build's catalog and cannot be read from the serving file. Materialize marts as tables."
        )
    tables = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where database_name = 'serving' order by 1, 2"
    ).fetchall()
    strays = [f"{schema}.{name}" for schema, name in tables if schema not in PUBLISHED_SCHEMAS]
    if strays:
        raise PublishError(
            f"{marts} holds tables outside the marts ({', '.join(strays)}): only marts are "
            "published. Only dbt's marts may write that file."
        )
    return [(str(schema), str(name)) for schema, name in tables]


def _comment(
    con: duckdb.DuckDBPyConnection,
    tables: list[tuple[str, str]],
    descriptions: dict[str, tuple[str, dict[str, str]]],
) -> None:
    for schema, name in tables:
        target = f'serving.{schema}."{name}"'
        description, columns = descriptions.get(name, ("", {}))
        comment = _sql_string(description.strip()) if description else "null"
        con.execute(f"comment on table {target} is {comment}")
        for column, text in columns.items():
            if text:
                con.execute(f'comment on column {target}."{column}" is {_sql_string(text.strip())}')


def _write_metadata(
    con: duckdb.DuckDBPyConnection, version: str, tables: list[tuple[str, str]]
) -> dict[str, int]:
    """The ``meta`` schema of the copy; returns each table's row count."""
    counts: dict[str, int] = {}
    for schema, name in tables:
        row = con.execute(f'select count(*) from serving.{schema}."{name}"').fetchone()
        counts[f"{schema}.{name}"] = int(row[0]) if row else 0
    con.execute("drop schema if exists serving.meta cascade")
    con.execute("create schema serving.meta")
    con.execute(
        "create table serving.meta.publication as "
        "select ?::varchar as version, ?::timestamp as published_at, ?::varchar as storage_version",
        [version, datetime.now(UTC).replace(tzinfo=None), STORAGE_VERSION],
    )
    con.execute("create table serving.meta.published_tables (table_name varchar, row_count bigint)")
    if counts:
        values = ", ".join(["(?, ?)"] * len(counts))
        con.execute(
            f"insert into serving.meta.published_tables values {values}",
            [value for item in sorted(counts.items()) for value in item],
        )
    con.execute(
        "comment on table serving.meta.publication is "
        "'One row: the version of this serving file and when it was published (UTC).'"
    )
    con.execute(
        "comment on table serving.meta.published_tables is "
        "'One row per published table: its row count.'"
    )
    return counts


def publish(
    warehouse: Path,
    serving_dir: Path,
    *,
    manifest_path: Path | None = None,
    keep: int = 5,
    say: Callable[[str], object] | None = None,
) -> Publication:
    """Copy the marts file of ``warehouse`` into a new serving file and swap it in atomically.

    ``manifest_path``: dbt's manifest, for the comments. ``say`` (if given) is told each step."""
    tell = say or (lambda _message: None)
    started = time.perf_counter()
    marts = marts_path(warehouse)
    if not marts.exists():
        raise PublishError(f"no marts file {marts}: the build has not built the marts")
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    versions_dir = serving_dir / "versions"
    versions_dir.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(versions_dir)
    building = versions_dir / f".building-{version}.duckdb"
    final = versions_dir / f"funnel-{version}.duckdb"

    _checkpoint(marts)
    shutil.copyfile(marts, building)
    tell(f"[publish] marts file copied ({time.perf_counter() - started:.1f} s)")
    try:
        with duckdb.connect(config=PUBLISH_SETTINGS) as con:
            con.execute(f"attach {_sql_string(str(building))} as serving")
            tables = _check_copy(con, marts)
            _comment(con, tables, _descriptions(manifest_path))
            counts = _write_metadata(con, version, tables)
            con.execute("checkpoint serving")
            con.execute("detach serving")
    except BaseException:
        building.unlink(missing_ok=True)
        raise
    tell(f"[publish] {len(counts)} marts published ({time.perf_counter() - started:.1f} s)")

    _fsync(building)
    os.replace(building, final)
    swap = serving_dir / f".{SERVING_NAME}.swap"
    swap.unlink(missing_ok=True)
    os.link(final, swap)
    os.replace(swap, serving_dir / SERVING_NAME)
    _fsync(serving_dir)
    for old in sorted(versions_dir.glob("funnel-*.duckdb"))[:-keep]:
        old.unlink()
    return Publication(version, serving_dir / SERVING_NAME, final, counts, final.stat().st_size)
