"""Opening the DuckDB warehouse file the same way everywhere (settings match profiles.yml)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

#: DuckDB's buffer-manager limit for every connection that writes the warehouse (profiles.yml
#: has the same default). It bounds what one build holds, not only what one query holds:
#: above it DuckDB spills to ``<warehouse>.tmp/`` (its default temp directory for a file).
DEFAULT_MEMORY_LIMIT = "2500MB"
DEFAULT_THREADS = "2"


def duckdb_settings(path: Path) -> dict[str, str]:
    """Memory limit, threads and spill folder, overridable through the environment."""
    return {
        "threads": os.environ.get("FUNNEL_DUCKDB_THREADS", DEFAULT_THREADS),
        "memory_limit": os.environ.get("FUNNEL_DUCKDB_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT),
        "temp_directory": f"{path}.tmp",
        "autoinstall_known_extensions": "false",
    }


@contextmanager
def connect(path: Path, *, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection that is always closed on exit, so dbt can take the file lock next."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    config = {} if read_only else duckdb_settings(path)
    con = duckdb.connect(str(path), read_only=read_only, config=config)
    try:
        yield con
    finally:
        con.close()
