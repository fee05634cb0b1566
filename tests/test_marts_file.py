"""The marts file next to the warehouse: its name, how readers of the build reach it, and that
a new warehouse never starts from an old one's marts."""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.ingestion.ingest import ingest_entities
from orchestration.landing_contract import ENTITIES
from orchestration.warehouse import connect, marts_path


def test_the_marts_file_is_named_after_the_warehouse() -> None:
    assert marts_path(Path("/d/funnel.duckdb")) == Path("/d/funnel.marts.duckdb")
    assert marts_path(Path("/d/build.db")) == Path("/d/build.db.marts.duckdb")


def test_a_reader_of_the_build_finds_the_marts_by_their_usual_names(tmp_path: Path) -> None:
    warehouse = tmp_path / "funnel.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema intermediate")
        con.execute("create table intermediate.int_x as select 1 as id")
    with duckdb.connect(str(marts_path(warehouse))) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_x as select 2 as id")
    with connect(warehouse, read_only=True, with_marts=True) as con:
        row = con.execute(
            "select m.id, i.id from marts.fct_x as m, intermediate.int_x as i"
        ).fetchone()
        assert row == (2, 1)
    with connect(warehouse, read_only=True) as con:  # without: the build file alone
        assert con.execute("select count(*) from duckdb_tables()").fetchone() == (1,)


def test_a_new_warehouse_does_not_start_from_an_old_marts_file(tmp_path: Path) -> None:
    """A warehouse deleted for a rebuild from scratch: ingestion, which creates the new one,
    deletes the marts file left beside it (its incremental marts would keep the old rows)."""
    warehouse = tmp_path / "funnel.duckdb"
    marts = marts_path(warehouse)
    with duckdb.connect(str(marts)) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_x as select 1 as id")
    landing = tmp_path / "landing"
    landing.mkdir()
    list(ingest_entities(warehouse, landing, ENTITIES[:1]))
    assert warehouse.exists() and not marts.exists()

    # an existing warehouse keeps its marts file
    with duckdb.connect(str(marts)) as con:
        con.execute("create schema marts")
    list(ingest_entities(warehouse, landing, ENTITIES[:1]))
    assert marts.exists()
