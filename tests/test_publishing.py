"""The serving file: a copy of the marts file, swapped in atomically, old readers undisturbed,
versions kept; nothing but marts reaches it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from orchestration.publishing.serving_file import (
    SERVING_NAME,
    PublishError,
    current_serving_version,
    publish,
)
from orchestration.warehouse import marts_path


def _marts(warehouse: Path) -> duckdb.DuckDBPyConnection:
    """A connection to ``warehouse``'s marts file, created in storage v1.0.0 as the build's
    profile creates it."""
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"attach '{marts_path(warehouse)}' as m (storage_version 'v1.0.0')")
    con.execute("use m")
    return con


def _build_warehouse(path: Path, rows: int) -> None:
    """A warehouse with a secret in staging, and its marts file with one mart."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists staging")
        con.execute("create or replace table staging.secret as select 'a@b.c' as email")
    with _marts(path) as con:
        con.execute("create schema if not exists marts")
        con.execute(f"create or replace table marts.fct_x as select range as id from range({rows})")


@pytest.fixture
def manifest(tmp_path: Path) -> Path:
    path = tmp_path / "manifest.json"
    node = {
        "resource_type": "model",
        "name": "fct_x",
        "description": "One row per x.",
        "columns": {"id": {"description": "The x's id."}},
    }
    path.write_text(json.dumps({"nodes": {"model.p.fct_x": node}}), encoding="utf-8")
    return path


def test_publishes_marts_only_with_docs(tmp_path: Path, manifest: Path) -> None:
    warehouse = tmp_path / "build.duckdb"
    _build_warehouse(warehouse, 3)
    publication = publish(warehouse, tmp_path / "serving", manifest_path=manifest)

    assert publication.tables == {"marts.fct_x": 3}
    with duckdb.connect(str(publication.path), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_x").fetchone() == (3,)
        schemas = {r[0] for r in con.execute("select schema_name from duckdb_schemas()").fetchall()}
        assert "staging" not in schemas
        comment = con.execute(
            "select comment from duckdb_tables() where table_name = 'fct_x'"
        ).fetchone()
        assert comment == ("One row per x.",)
        column_comment = con.execute(
            "select comment from duckdb_columns() where table_name = 'fct_x'"
        ).fetchone()
        assert column_comment == ("The x's id.",)
        assert con.execute("select * from meta.published_tables").fetchall() == [("marts.fct_x", 3)]
    assert current_serving_version(tmp_path / "serving") == publication.version
    # the marts file itself is left as dbt wrote it: the comments and meta are the copy's
    with duckdb.connect(str(marts_path(warehouse)), read_only=True) as con:
        assert con.execute("select comment from duckdb_tables()").fetchone() == (None,)
        schemas = {r[0] for r in con.execute("select schema_name from duckdb_schemas()").fetchall()}
        assert "meta" not in schemas


def test_old_reader_keeps_its_version_and_old_versions_are_pruned(tmp_path: Path) -> None:
    warehouse = tmp_path / "build.duckdb"
    serving = tmp_path / "serving"
    _build_warehouse(warehouse, 1)
    publish(warehouse, serving)
    reader = duckdb.connect(str(serving / SERVING_NAME), read_only=True)
    try:
        for rows in range(2, 9):
            _build_warehouse(warehouse, rows)
            publish(warehouse, serving, keep=3)
        # the reader opened version 1 and still sees it; a new reader sees the last build
        assert reader.execute("select count(*) from marts.fct_x").fetchone() == (1,)
    finally:
        reader.close()
    with duckdb.connect(str(serving / SERVING_NAME), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_x").fetchone() == (8,)
    assert len(list((serving / "versions").glob("funnel-*.duckdb"))) == 3
    assert not list(serving.glob(".*swap")) and not list(serving.glob("versions/.building-*"))


def test_serving_file_is_readable_by_older_duckdb_storage(tmp_path: Path) -> None:
    warehouse = tmp_path / "build.duckdb"
    _build_warehouse(warehouse, 2)
    publication = publish(warehouse, tmp_path / "serving")
    # byte 12 of a DuckDB file header is its storage version number; 64 = v1.0.0
    header = publication.path.read_bytes()[:16]
    assert header[8:12] == b"DUCK" and header[12] == 64


def test_a_write_ahead_log_left_in_the_marts_file_is_published(tmp_path: Path) -> None:
    """A build killed after its tests passed can leave committed rows in the marts file's
    write-ahead log: the publisher checkpoints them into the file before copying it."""
    warehouse = tmp_path / "build.duckdb"
    _build_warehouse(warehouse, 2)
    marts = marts_path(warehouse)
    # a process that commits two rows and dies without closing the file (no checkpoint)
    script = (
        "import duckdb, os, sys\n"
        "con = duckdb.connect(sys.argv[1], config={'checkpoint_threshold': '1GB'})\n"
        "con.execute('insert into marts.fct_x values (100), (101)')\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(marts)], check=True)
    wal = Path(f"{marts}.wal")
    assert wal.exists() and wal.stat().st_size > 0
    publication = publish(warehouse, tmp_path / "serving")
    assert publication.tables == {"marts.fct_x": 4}
    assert not wal.exists()


def test_a_view_among_the_marts_fails_the_publication(tmp_path: Path) -> None:
    warehouse = tmp_path / "build.duckdb"
    serving = tmp_path / "serving"
    _build_warehouse(warehouse, 2)
    with _marts(warehouse) as con:
        con.execute("create view marts.v_x as select * from m.marts.fct_x")
    with pytest.raises(PublishError, match=r"holds views \(marts\.v_x\)"):
        publish(warehouse, serving)
    assert current_serving_version(serving) is None
    assert not list(serving.glob("versions/*"))


def test_a_table_outside_the_marts_fails_the_publication(tmp_path: Path) -> None:
    warehouse = tmp_path / "build.duckdb"
    serving = tmp_path / "serving"
    _build_warehouse(warehouse, 2)
    first = publish(warehouse, serving)
    with _marts(warehouse) as con:
        con.execute("create schema staging")
        con.execute("create table staging.secret as select 'a@b.c' as email")
    with pytest.raises(PublishError, match=r"outside the marts \(staging\.secret\)"):
        publish(warehouse, serving)
    # the previous version keeps serving
    assert current_serving_version(serving) == first.version


def test_a_marts_file_in_a_newer_storage_version_fails_the_publication(tmp_path: Path) -> None:
    warehouse = tmp_path / "build.duckdb"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    con.execute(f"attach '{marts_path(warehouse)}' as m (storage_version 'v1.2.0')")
    con.execute("create schema m.marts")
    con.execute("create table m.marts.fct_x as select 1 as id")
    con.close()
    with pytest.raises(PublishError, match=r"storage version v1\.2\.0"):
        publish(warehouse, tmp_path / "serving")


def test_no_marts_file_fails_clearly(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match=r"no marts file .*build\.marts\.duckdb"):
        publish(tmp_path / "build.duckdb", tmp_path / "serving")
