"""The raw tables of the DuckDB warehouse as another engine needs them: names, columns, files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

RAW_SCHEMA = "raw"


@dataclass(frozen=True)
class RawColumn:
    name: str
    #: DuckDB's type name: VARCHAR, BIGINT, DOUBLE, DECIMAL(38,9), TIMESTAMP, DATE, BOOLEAN, ...
    duckdb_type: str


@dataclass(frozen=True)
class RawTable:
    name: str
    columns: tuple[RawColumn, ...]


def raw_tables(con: duckdb.DuckDBPyConnection) -> list[RawTable]:
    """Every base table of the ``raw`` schema with its columns in order."""
    rows = con.execute(
        """
        select c.table_name, c.column_name, c.data_type
        from information_schema.columns as c
        inner join information_schema.tables as t
            on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = ? and t.table_type = 'BASE TABLE'
        order by c.table_name, c.ordinal_position
        """,
        [RAW_SCHEMA],
    ).fetchall()
    tables: dict[str, list[RawColumn]] = {}
    for table, column, data_type in rows:
        tables.setdefault(table, []).append(RawColumn(column, data_type))
    return [RawTable(name, tuple(columns)) for name, columns in tables.items()]


def quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def export_table(
    con: duckdb.DuckDBPyConnection, table: RawTable, target: Path, file_format: str
) -> Path:
    """Write one raw table to ``target`` (``csv``: header, NULL as an unquoted empty field and
    an empty string as ``""``, as PostgreSQL's COPY reads them; ``parquet``)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    source = f"{quote(RAW_SCHEMA)}.{quote(table.name)}"
    if file_format == "csv":
        # DuckDB writes NULL as an empty field and '' as "" (PostgreSQL's CSV COPY reads the same)
        con.execute(f"copy (select * from {source}) to '{target}' (format csv, header true)")
    elif file_format == "parquet":
        con.execute(f"copy (select * from {source}) to '{target}' (format parquet)")
    else:
        raise ValueError(f"unknown export format {file_format!r}")
    return target
