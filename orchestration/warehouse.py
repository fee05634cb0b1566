"""Opening the DuckDB warehouse file the same way everywhere (settings match profiles.yml)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

#: DuckDB's buffer-manager limit for every connection that writes the warehouse (profiles.yml
#: has the same default). It bounds what one build holds, not only what one query holds:
#: above it DuckDB spills to ``<warehouse>.tmp/`` (its default temp directory for a file).
DEFAULT_MEMORY_LIMIT = "2500MB"
DEFAULT_THREADS = "2"


#: the catalog name under which dbt (profiles.yml) and every reader attach the marts file
MARTS_DATABASE = "marts_db"
MARTS_SUFFIX = ".marts.duckdb"


def marts_path(warehouse: Path) -> Path:
    """The file dbt builds the marts into, next to ``warehouse``: its path without ``.duckdb``,
    then ``.marts.duckdb`` (``data/warehouse/funnel.duckdb`` -> ``funnel.marts.duckdb``), as
    profiles.yml derives it from FUNNEL_WAREHOUSE."""
    text = str(warehouse)
    return Path((text[:-7] if text.endswith(".duckdb") else text) + MARTS_SUFFIX)


def marts_file_of(path: Path) -> Path:
    """The file holding the marts of ``path``: a warehouse's marts file, or ``path`` itself (a
    serving file, or a marts file)."""
    marts = marts_path(path)
    return marts if marts.exists() else path


def attach_marts(
    con: duckdb.DuckDBPyConnection, warehouse: Path, *, read_only: bool = True
) -> bool:
    """Attach ``warehouse``'s marts file (read-only unless told) to ``con``, a connection to the
    warehouse, as ``marts_db``, with a search path that finds ``marts.<mart>`` there, as before
    the marts had a file of their own. False (nothing attached) when there is no marts file."""
    marts = marts_path(warehouse)
    if not marts.exists():
        return False
    path = str(marts).replace("'", "''")
    mode = " (read_only)" if read_only else ""
    con.execute(f"attach if not exists '{path}' as {MARTS_DATABASE}{mode}")
    found = con.execute(
        "select count(*) from duckdb_schemas() where database_name = ? and schema_name = 'marts'",
        [MARTS_DATABASE],
    ).fetchone()
    if found and found[0]:  # (a build that failed before its first mart has none yet)
        catalog = con.execute("select current_database()").fetchone()
        current = str(catalog[0]) if catalog else "memory"
        con.execute(f"set search_path = '{current}.main,{MARTS_DATABASE}.marts'")
    return True


def copy_warehouse(source: Path, destination: Path) -> None:
    """Copy a closed warehouse file and its marts file (when it has one) to ``destination``
    and the marts file its name gives."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, destination)
    if marts_path(source).exists():
        shutil.copyfile(marts_path(source), marts_path(destination))


def drop_old_marts(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the ``marts`` schema of the warehouse ``con`` is connected to, if any: where the
    marts lived before they had a file of their own. Left there, a reader's ``marts.<mart>``
    would find its stale rows before the marts file's."""
    row = con.execute("select current_database()").fetchone()
    catalog = str(row[0]).replace('"', '""') if row else "memory"
    con.execute(f'drop schema if exists "{catalog}".marts cascade')


def attach_marts_for_writing(con: duckdb.DuckDBPyConnection, warehouse: Path) -> bool:
    """For the build's own bookkeeping before dbt runs: drop the warehouse's old ``marts``
    schema (``drop_old_marts``) and attach the marts file read-write as ``marts_db``. False when
    there is no marts file yet (dbt creates it)."""
    drop_old_marts(con)
    return attach_marts(con, warehouse, read_only=False)


def remove_marts(warehouse: Path) -> None:
    """Delete ``warehouse``'s marts file (and its write-ahead log): a new warehouse must not
    start from the marts of an old one (the incremental marts would keep its rows)."""
    marts = marts_path(warehouse)
    for leftover in (marts, Path(f"{marts}.wal")):
        leftover.unlink(missing_ok=True)


def duckdb_settings(path: Path) -> dict[str, str]:
    """Memory limit, threads and spill folder, overridable through the environment."""
    return {
        "threads": os.environ.get("FUNNEL_DUCKDB_THREADS", DEFAULT_THREADS),
        "memory_limit": os.environ.get("FUNNEL_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
        "temp_directory": f"{path}.tmp",
        "autoinstall_known_extensions": "false",
    }


@contextmanager
def connect(
    path: Path, *, read_only: bool = False, with_marts: bool = False
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that is always closed on exit, so dbt can take the file lock next.
    ``with_marts``: also attach the marts file read-only (``attach_marts``), for readers of
    ``marts.<mart>``."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = {} if read_only else duckdb_settings(path)
    con = duckdb.connect(str(path), read_only=read_only, config=config)
    try:
        if with_marts:
            attach_marts(con, path)
        yield con
    finally:
        con.close()
