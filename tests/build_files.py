"""Opening a build's files in tests the way readers of the build do (README "Publishing")."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.warehouse import attach_marts, marts_file_of

__all__ = ["marts_file_of", "open_read_only", "open_read_write"]


def open_read_only(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only connection to ``path``; for a warehouse, with its marts file attached, so
    ``marts.<mart>`` and the warehouse's own schemas resolve in one query."""
    con = duckdb.connect(str(path), read_only=True)
    attach_marts(con, Path(path))
    return con


def open_read_write(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A connection to the warehouse ``path`` with its marts file attached read-write (a test
    that alters a mart, as a bug or an older version would have left it)."""
    con = duckdb.connect(str(path))
    attach_marts(con, Path(path), read_only=False)
    return con
