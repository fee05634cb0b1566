"""One build at a time per warehouse, decided before anything else is touched.

The lock is an exclusive ``flock`` on ``<warehouse>.lock``, taken without waiting and held
for the whole build. The kernel releases it when the process ends, killed or not, so a crash
never leaves it behind. It covers what DuckDB's own file lock cannot: two builds started at
the same instant on a new warehouse would both create Dagster's storage next to it at once.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from orchestration.warehouse import connect


class WarehouseBusy(RuntimeError):
    """Another process has the warehouse file open (or is building it)."""


def lock_path(warehouse: Path) -> Path:
    return warehouse.with_name(warehouse.name + ".lock")


def _busy(warehouse: Path, holder: str) -> WarehouseBusy:
    return WarehouseBusy(
        f"{warehouse} is open in another process ({holder}). Readers should use the serving file."
    )


@contextmanager
def build_lock(warehouse: Path) -> Iterator[Path]:
    """Hold the build lock of ``warehouse``; raise ``WarehouseBusy`` at once if taken."""
    path = lock_path(warehouse)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise _busy(warehouse, f"a running build holds {path.name}") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())  # for people; the lock is the flock
        yield path
    finally:
        os.close(fd)  # releases the flock


def ensure_no_other_writer(warehouse: Path) -> None:
    """Fail when another process (a reader holding the build file) keeps DuckDB's lock."""
    try:
        with connect(warehouse) as con:
            con.execute("select 1")
    except duckdb.IOException as error:
        raise _busy(warehouse, f"a running build, or a reader holding it: {error}") from None
