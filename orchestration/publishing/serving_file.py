"""Build the serving file aside, then swap it into place atomically.

Only the nightly build opens the build warehouse. After a build whose dbt tests all passed,
the marts (with their dbt descriptions as table and column comments) are copied into a new
DuckDB file ``<serving>/versions/funnel-<version>.duckdb``; that file is checkpointed, fsynced
and then hard-linked over ``<serving>/funnel.duckdb`` with an atomic rename. A reader that has
the old file open keeps reading the old version; a crash at any point leaves the previous
serving file whole. The last ``keep`` versions stay in ``versions/`` for rollback.

The serving file is written in DuckDB storage version ``v1.0.0`` on purpose: BI drivers often
bundle an older DuckDB, and every DuckDB from 1.0 on (and the 2.x line) reads that format.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.warehouse import DEFAULT_MEMORY_LIMIT, DEFAULT_THREADS

SERVING_NAME = "funnel.duckdb"
STORAGE_VERSION = "v1.0.0"
PUBLISHED_SCHEMAS = ("marts",)
#: the copy runs in its own in-memory DuckDB: no row order to keep (tables are sets), and the
#: same memory and thread budget as the build, so publishing never holds more than it does
PUBLISH_SETTINGS = {
    "autoinstall_known_extensions": "false",
    "preserve_insertion_order": "false",
    "threads": os.environ.get("FUNNEL_DUCKDB_THREADS", DEFAULT_THREADS),
    "memory_limit": os.environ.get("FUNNEL_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
}


@dataclass(frozen=True)
class Publication:
    version: str
    path: Path
    version_path: Path
    tables: dict[str, int]


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _descriptions(manifest_path: Path | None) -> dict[str, tuple[str, dict[str, str]]]:
    """Model name -> (description, {column: description}) from dbt's manifest."""
    if manifest_path is None or not manifest_path.exists():
        return {}
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    found: dict[str, tuple[str, dict[str, str]]] = {}
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") == "model":
            columns = {
                name: column.get("description", "")
                for name, column in node.get("columns", {}).items()
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


def _copy_marts(
    con: duckdb.DuckDBPyConnection, descriptions: dict[str, tuple[str, dict[str, str]]]
) -> dict[str, int]:
    tables: dict[str, int] = {}
    relations = con.execute(
        "select schema_name, table_name from duckdb_tables() "
        "where database_name = 'build' and schema_name in (select unnest(?)) "
        "union all "
        "select schema_name, view_name from duckdb_views() "
        "where database_name = 'build' and schema_name in (select unnest(?)) "
        "order by 1, 2",
        [list(PUBLISHED_SCHEMAS), list(PUBLISHED_SCHEMAS)],
    ).fetchall()
    for schema in PUBLISHED_SCHEMAS:
        con.execute(f"create schema if not exists serving.{schema}")
    for schema, name in relations:
        target = f'serving.{schema}."{name}"'
        con.execute(f'create table {target} as select * from build.{schema}."{name}"')
        row = con.execute(f"select count(*) from {target}").fetchone()
        tables[f"{schema}.{name}"] = int(row[0]) if row else 0
        description, columns = descriptions.get(name, ("", {}))
        if description:
            con.execute(f"comment on table {target} is {_sql_string(description.strip())}")
        for column, text in columns.items():
            if text:
                con.execute(f'comment on column {target}."{column}" is {_sql_string(text.strip())}')
    return tables


def _write_metadata(con: duckdb.DuckDBPyConnection, version: str, tables: dict[str, int]) -> None:
    con.execute("create schema serving.meta")
    con.execute(
        "create table serving.meta.publication as "
        "select ?::varchar as version, ?::timestamp as published_at, ?::varchar as storage_version",
        [version, datetime.now(UTC).replace(tzinfo=None), STORAGE_VERSION],
    )
    con.execute("create table serving.meta.published_tables (table_name varchar, row_count bigint)")
    if tables:
        con.executemany(
            "insert into serving.meta.published_tables values (?, ?)", list(tables.items())
        )
    con.execute(
        "comment on table serving.meta.publication is "
        "'One row: the version of this serving file and when it was published (UTC).'"
    )


def publish(
    warehouse: Path,
    serving_dir: Path,
    *,
    manifest_path: Path | None = None,
    keep: int = 5,
) -> Publication:
    """Copy the marts of ``warehouse`` into a new serving file and swap it in atomically."""
    version = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    versions_dir = serving_dir / "versions"
    versions_dir.mkdir(parents=True, exist_ok=True)
    _clean_leftovers(versions_dir)
    building = versions_dir / f".building-{version}.duckdb"
    final = versions_dir / f"funnel-{version}.duckdb"

    with duckdb.connect(config=PUBLISH_SETTINGS) as con:
        con.execute(f"attach {_sql_string(str(warehouse))} as build (read_only)")
        con.execute(
            f"attach {_sql_string(str(building))} as serving (storage_version '{STORAGE_VERSION}')"
        )
        tables = _copy_marts(con, _descriptions(manifest_path))
        _write_metadata(con, version, tables)
        con.execute("checkpoint serving")
        con.execute("detach serving")
        con.execute("detach build")

    _fsync(building)
    os.replace(building, final)
    swap = serving_dir / f".{SERVING_NAME}.swap"
    swap.unlink(missing_ok=True)
    os.link(final, swap)
    os.replace(swap, serving_dir / SERVING_NAME)
    _fsync(serving_dir)
    for old in sorted(versions_dir.glob("funnel-*.duckdb"))[:-keep]:
        old.unlink()
    return Publication(version, serving_dir / SERVING_NAME, final, tables)
