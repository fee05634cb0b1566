"""Hand DuckDB ``raw`` over to PostgreSQL ``raw``: each table exported to CSV, loaded by COPY.

The whole of raw is replaced in one transaction every night (drop, create, COPY), so
PostgreSQL's raw is always exactly DuckDB's raw: a retracted file disappears there too.
"""

from __future__ import annotations

import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from orchestration.engines.postgres_connection import PostgresSettings
from orchestration.engines.raw_tables import RAW_SCHEMA, RawTable, export_table, quote, raw_tables
from orchestration.warehouse import connect

_SIMPLE_TYPES = {
    "VARCHAR": "text",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "SMALLINT": "smallint",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BOOLEAN": "boolean",
    "DATE": "date",
    "TIMESTAMP": "timestamp without time zone",
    "TIMESTAMP WITH TIME ZONE": "timestamp with time zone",
    "TIME": "time",
    "UUID": "uuid",
    "JSON": "jsonb",
}


def postgres_type(duckdb_type: str) -> str:
    """PostgreSQL's type for a DuckDB column type (DECIMAL(p,s) -> numeric(p,s))."""
    upper = duckdb_type.upper()
    if upper in _SIMPLE_TYPES:
        return _SIMPLE_TYPES[upper]
    decimal = re.fullmatch(r"DECIMAL\((\d+),\s*(\d+)\)", upper)
    if decimal:
        return f"numeric({decimal.group(1)},{decimal.group(2)})"
    raise ValueError(f"no PostgreSQL type for DuckDB's {duckdb_type}")


def create_table_sql(table: RawTable) -> str:
    columns = ", ".join(f"{quote(c.name)} {postgres_type(c.duckdb_type)}" for c in table.columns)
    return f"create table {quote(RAW_SCHEMA)}.{quote(table.name)} ({columns})"


@dataclass(frozen=True)
class Handover:
    tables: dict[str, int]
    seconds: float

    def line(self) -> str:
        rows = sum(self.tables.values())
        return f"handed {len(self.tables)} raw tables ({rows:,} rows) over in {self.seconds:.1f} s"


def hand_over_to_postgres(warehouse: Path, settings: PostgresSettings) -> Handover:
    """Replace PostgreSQL's raw schema by the raw tables of the DuckDB ``warehouse``."""
    started = time.monotonic()
    loaded: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="funnel-handover-") as folder:
        with connect(warehouse, read_only=True) as duck:
            tables = raw_tables(duck)
            files = {
                t.name: export_table(duck, t, Path(folder) / f"{t.name}.csv", "csv") for t in tables
            }
        pg = settings.connect()
        try:
            with pg, pg.cursor() as cur:  # one transaction: readers never see half a raw
                existing = _existing_tables(cur)
                for name in existing:
                    cur.execute(f"drop table {quote(RAW_SCHEMA)}.{quote(name)} cascade")
                cur.execute(f"create schema if not exists {quote(RAW_SCHEMA)}")
                for table in tables:
                    cur.execute(create_table_sql(table))
                    columns = ", ".join(quote(c.name) for c in table.columns)
                    with files[table.name].open(encoding="utf-8") as data:
                        cur.copy_expert(
                            f"copy {quote(RAW_SCHEMA)}.{quote(table.name)} ({columns}) "
                            "from stdin with (format csv, header true)",
                            data,
                        )
                    loaded[table.name] = cur.rowcount
        finally:
            pg.close()
    return Handover(loaded, time.monotonic() - started)


def _existing_tables(cur: Any) -> list[str]:  # a psycopg2 cursor
    cur.execute(
        "select table_name from information_schema.tables "
        "where table_schema = %s and table_type = 'BASE TABLE'",
        (RAW_SCHEMA,),
    )
    return [row[0] for row in cur.fetchall()]
