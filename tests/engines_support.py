"""Helpers of the cross-engine tests: servers, builds on a target, the marts of each engine.

The marts are read into plain Python rows (column names lowercased, Spark is case-insensitive)
and compared with ``compare_marts``: numbers within 1e-9 relative, everything else equal.
"""

from __future__ import annotations

import math
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb

from orchestration.engines.local_postgres import LocalPostgres
from orchestration.engines.postgres_connection import PostgresSettings
from tests.build_files import open_read_only

MARTS = "marts"
Rows = list[tuple[object, ...]]
Marts = dict[str, tuple[list[str], Rows]]


@contextmanager
def private_postgres() -> Iterator[PostgresSettings]:
    """A PostgreSQL server of its own (port, data folder), stopped and removed afterwards;
    FUNNEL_PG_* point at it meanwhile."""
    parent = Path(tempfile.mkdtemp(prefix="funnel-pg-"))
    parent.chmod(0o755)  # a root test run starts the server as nobody, who must reach it
    server = LocalPostgres(parent / "data").start()
    settings = server.settings()
    saved = {name: os.environ.get(name) for name in settings.environment()}
    os.environ.update(settings.environment())
    try:
        yield settings
    finally:
        server.stop()
        shutil.rmtree(parent, ignore_errors=True)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _normal(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def _sorted(rows: Rows) -> Rows:
    normal = [tuple(_normal(v) for v in row) for row in rows]
    return sorted(normal, key=lambda row: tuple(_sort_key(v) for v in row))


def _sort_key(value: object) -> tuple[bool, str]:
    """Order-independent of the last bits of a float (engines differ there within 1e-9)."""
    if isinstance(value, float) and not isinstance(value, bool):
        return (False, f"{value:.8g}")
    return (value is None, str(value))


def duckdb_marts(warehouse: Path) -> Marts:
    with open_read_only(warehouse) as con:
        return _duckdb_schema(con, MARTS)


def _duckdb_schema(con: duckdb.DuckDBPyConnection, schema: str) -> Marts:
    names = [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables "
            "where table_schema = ? and table_type = 'BASE TABLE' order by 1",
            [schema],
        ).fetchall()
    ]
    marts: Marts = {}
    for name in names:
        result = con.execute(f'select * from "{schema}"."{name}"')
        columns = [d[0].lower() for d in result.description]
        marts[name] = (columns, _sorted(result.fetchall()))
    return marts


def postgres_marts(settings: PostgresSettings) -> Marts:
    con = settings.connect()
    try:
        with con.cursor() as cur:
            cur.execute(
                "select table_name from information_schema.tables "
                "where table_schema = %s and table_type = 'BASE TABLE' order by 1",
                (MARTS,),
            )
            names = [row[0] for row in cur.fetchall()]
            marts: Marts = {}
            for name in names:
                cur.execute(f'select * from "{MARTS}"."{name}"')
                columns = [d[0].lower() for d in cur.description]
                marts[name] = (columns, _sorted(cur.fetchall()))
    finally:
        con.close()
    return marts


def spark_marts(spark_dir: Path) -> Marts:
    """The Parquet files of the metastore's marts tables, read by DuckDB (no second JVM while
    the Derby metastore may be in use)."""
    marts: Marts = {}
    with duckdb.connect() as con:
        con.execute("set TimeZone = 'UTC'")
        for folder in sorted((spark_dir / "warehouse" / f"{MARTS}.db").iterdir()):
            files = sorted(str(f) for f in folder.rglob("*.parquet"))
            if not files:
                marts[folder.name] = ([], [])
                continue
            result = con.execute("select * from read_parquet(?)", [files])
            columns = [d[0].lower() for d in result.description]
            marts[folder.name] = (columns, _sorted(result.fetchall()))
    return marts


def _same(left: object, right: object) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, bool) or isinstance(right, bool):
        return left == right
    if isinstance(left, int | float) and isinstance(right, int | float):
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(left, datetime) and isinstance(right, date) and not isinstance(right, datetime):
        return False
    return left == right


def compare_marts(expected: Marts, actual: Marts) -> list[str]:
    """Every difference as a line: missing tables, column lists, row counts, differing cells."""
    problems: list[str] = []
    for table in sorted(set(expected) | set(actual)):
        if table not in actual or table not in expected:
            problems.append(f"{table}: only on {'one side' if table in expected else 'actual'}")
            continue
        (left_columns, left_rows), (right_columns, right_rows) = expected[table], actual[table]
        if left_columns != right_columns:
            problems.append(f"{table}: columns {left_columns} != {right_columns}")
            continue
        if len(left_rows) != len(right_rows):
            problems.append(f"{table}: {len(left_rows)} rows != {len(right_rows)}")
            continue
        differing: set[str] = set()
        for left, right in zip(left_rows, right_rows, strict=True):
            for column, a, b in zip(left_columns, left, right, strict=True):
                if not _same(a, b):
                    differing.add(column)
        if differing:
            problems.append(f"{table}: values differ in {sorted(differing)}")
    return problems
