"""The serving file: built aside, swapped in atomically, old readers undisturbed, versions kept."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from orchestration.publishing.serving_file import (
    SERVING_NAME,
    current_serving_version,
    publish,
)


def _build_warehouse(path: Path, rows: int) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as con:
        con.execute("create schema if not exists marts")
        con.execute("create schema if not exists staging")
        con.execute(f"create or replace table marts.fct_x as select range as id from range({rows})")
        con.execute("create or replace table staging.secret as select 'a@b.c' as email")


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
    assert current_serving_version(tmp_path / "serving") == publication.version


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


def _write_table(warehouse: Path, name: str, sql: str) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"create or replace table marts.{name} as {sql}")


def _serving_rows(serving: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(serving / SERVING_NAME), read_only=True) as con:
        return con.execute(f"select * from marts.{table} order by all").fetchall()


def test_only_the_marts_that_changed_are_copied(tmp_path: Path, manifest: Path) -> None:
    warehouse = tmp_path / "build.duckdb"
    serving = tmp_path / "serving"
    _build_warehouse(warehouse, 3)
    _write_table(warehouse, "fct_y", "select range as id, 'a' as label from range(2)")
    _write_table(warehouse, "fct_gone", "select 1 as id")
    first = publish(warehouse, serving, manifest_path=manifest)
    assert sorted(first.copied) == ["marts.fct_gone", "marts.fct_x", "marts.fct_y"]

    # nothing changed: nothing copied, and the new version holds the same tables
    same = publish(warehouse, serving, manifest_path=manifest)
    assert same.copied == ()
    assert same.version != first.version
    assert same.tables == {"marts.fct_gone": 1, "marts.fct_x": 3, "marts.fct_y": 2}
    assert current_serving_version(serving) == same.version

    # one value of fct_y changes (same row count), fct_gone is no longer built, fct_x is the
    # same rows in another order
    _write_table(warehouse, "fct_y", "select range as id, 'a' as label from range(2) order by 1")
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update marts.fct_y set label = 'b' where id = 1")
        con.execute("drop table marts.fct_gone")
        con.execute(
            "create or replace table marts.fct_x as select * from marts.fct_x order by 1 desc"
        )
    changed = publish(warehouse, serving, manifest_path=manifest)

    assert changed.copied == ("marts.fct_y",)
    assert _serving_rows(serving, "fct_y") == [(0, "a"), (1, "b")]
    assert _serving_rows(serving, "fct_x") == [(0,), (1,), (2,)]
    with duckdb.connect(str(serving / SERVING_NAME), read_only=True) as con:
        tables = con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
        ).fetchall()
        assert tables == [("fct_x",), ("fct_y",)]
        published = con.execute(
            "select table_name, row_count from meta.published_tables order by 1"
        ).fetchall()
        assert published == [("marts.fct_x", 3), ("marts.fct_y", 2)]
        # the kept table keeps its docs
        comment = con.execute(
            "select comment from duckdb_tables() where table_name = 'fct_x'"
        ).fetchone()
        assert comment == ("One row per x.",)

    # a column's type changes with the same values: changed. fct_x holds 3 of the 5 rows, so
    # most rows changed: the new version starts empty and both tables are copied
    _write_table(warehouse, "fct_x", "select range::integer as id from range(3)")
    assert publish(warehouse, serving, manifest_path=manifest).copied == (
        "marts.fct_x",
        "marts.fct_y",
    )
    assert _serving_rows(serving, "fct_y") == [(0, "a"), (1, "b")]


def test_a_night_that_changes_most_rows_does_not_grow_the_serving_file(tmp_path: Path) -> None:
    """Replacing most tables of a copied file left their old blocks in it (at L the file
    doubled, 1.4 -> 2.8 GB); when most rows changed the new version starts empty."""
    warehouse = tmp_path / "build.duckdb"
    serving = tmp_path / "serving"
    sql = "select range as id, md5(range::varchar || '{salt}') as label from range(300000)"
    _build_warehouse(warehouse, 1)
    _write_table(warehouse, "fct_big", sql.format(salt="a"))
    first = publish(warehouse, serving).version_path.stat().st_size
    _write_table(warehouse, "fct_big", sql.format(salt="b"))
    second = publish(warehouse, serving)
    assert sorted(second.copied) == ["marts.fct_big", "marts.fct_x"]
    assert second.version_path.stat().st_size < first * 1.3, (first, second)
    with duckdb.connect(str(serving / SERVING_NAME), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_big").fetchone() == (300000,)


def test_a_version_without_fingerprints_is_republished_whole(tmp_path: Path) -> None:
    warehouse = tmp_path / "build.duckdb"
    serving = tmp_path / "serving"
    _build_warehouse(warehouse, 2)
    publish(warehouse, serving)
    # the serving file as an older publisher wrote it: no content_hash column
    current = serving / SERVING_NAME
    with duckdb.connect(str(current)) as con:
        con.execute("alter table meta.published_tables drop column content_hash")
        con.execute("update marts.fct_x set id = id + 100")

    publication = publish(warehouse, serving)

    assert publication.copied == ("marts.fct_x",)
    assert _serving_rows(serving, "fct_x") == [(0,), (1,)]


def _keyed_manifest(path: Path) -> Path:
    """A manifest whose fct_k is published by its key column k."""
    node = {
        "resource_type": "model",
        "name": "fct_k",
        "description": "One row per k and i.",
        "columns": {},
        "config": {"meta": {"publish_by": ["k"]}},
    }
    path.write_text(json.dumps({"nodes": {"model.p.fct_k": node}}), encoding="utf-8")
    return path


def _build_rows(warehouse: Path, table: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f"select * from marts.{table} order by all").fetchall()


def test_a_mart_published_by_key_rewrites_only_its_changed_keys(tmp_path: Path) -> None:
    warehouse = tmp_path / "build.duckdb"
    serving = tmp_path / "serving"
    manifest = _keyed_manifest(tmp_path / "manifest.json")
    _build_warehouse(warehouse, 3)
    # ten keys of three rows each: 30 rows
    _write_table(
        warehouse,
        "fct_k",
        "select k, i, 'v' || k || '-' || i as label from range(10) a(k), range(3) b(i)",
    )
    first = publish(warehouse, serving, manifest_path=manifest)
    assert sorted(first.copied) == ["marts.fct_k", "marts.fct_x"]
    assert first.by_key == {}
    with duckdb.connect(str(first.path), read_only=True) as con:
        kept = con.execute('select k, row_count from meta."marts.fct_k.by_key" order by k')
        assert kept.fetchall() == [(k, 3) for k in range(10)]

    # key 3: one value changes; key 5: all its rows go; key 10: new, two rows. The changed
    # keys hold 6 + 3 + 2 = 11 rows on both sides (key 3: 3 and 3; key 5: 0 and 3; key 10: 2
    # and 0), under half of the table's 29 rows: the three keys are rewritten, the rest kept
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update marts.fct_k set label = 'changed' where k = 3 and i = 1")
        con.execute("delete from marts.fct_k where k = 5")
        con.execute("insert into marts.fct_k values (10, 0, 'new'), (10, 1, 'new')")
    said: list[str] = []
    second = publish(warehouse, serving, manifest_path=manifest, say=said.append)
    assert second.copied == ("marts.fct_k",)
    assert "[publish] starting from a copy of the current version (1 by key)" in said
    assert any(line.startswith("[publish] 1 marts written, 1 of them by key") for line in said)
    assert second.by_key == {"marts.fct_k": 3}
    assert second.tables == {"marts.fct_k": 29, "marts.fct_x": 3}
    assert _serving_rows(serving, "fct_k") == _build_rows(warehouse, "fct_k")
    with duckdb.connect(str(second.path), read_only=True) as con:
        kept = con.execute('select k, row_count from meta."marts.fct_k.by_key" order by k')
        assert kept.fetchall() == [(k, 3) for k in range(10) if k != 5] + [(10, 2)]

    # nothing changed: nothing written
    assert publish(warehouse, serving, manifest_path=manifest).copied == ()


def test_a_by_key_rewrite_that_does_not_check_out_is_replaced_by_a_whole_copy(
    tmp_path: Path,
) -> None:
    """The per-key fingerprints kept in the serving file are made to hide a change of key 7:
    the rewrite misses it, the result's row hashes differ from the build's, and the mart is
    copied whole instead."""
    warehouse = tmp_path / "build.duckdb"
    serving = tmp_path / "serving"
    manifest = _keyed_manifest(tmp_path / "manifest.json")
    _build_warehouse(warehouse, 3)
    _write_table(warehouse, "fct_k", "select k, i, 'v' as label from range(10) a(k), range(3) b(i)")
    publish(warehouse, serving, manifest_path=manifest)
    with duckdb.connect(str(warehouse)) as con:
        con.execute("update marts.fct_k set label = 'changed' where k in (2, 7)")
        new_fingerprint = con.execute(
            "select sum(hash(t)::hugeint), bit_xor(hash(t)) from marts.fct_k t where k = 7"
        ).fetchone()
    with duckdb.connect(str(serving / SERVING_NAME)) as con:
        con.execute(
            'update meta."marts.fct_k.by_key" set hash_sum = ?, hash_xor = ? where k = 7',
            list(new_fingerprint or ()),
        )

    publication = publish(warehouse, serving, manifest_path=manifest)

    assert publication.copied == ("marts.fct_k",)
    assert publication.by_key == {}
    assert _serving_rows(serving, "fct_k") == _build_rows(warehouse, "fct_k")


def test_nights_published_by_key_do_not_keep_growing_the_serving_file(tmp_path: Path) -> None:
    """Every night starts from a copy of the current file: a keyed mart gets a few keys
    rewritten and a small mart is replaced whole. The blocks they free are reused by the next
    night, so the file settles instead of growing night after night."""
    warehouse = tmp_path / "build.duckdb"
    serving = tmp_path / "serving"
    manifest = _keyed_manifest(tmp_path / "manifest.json")
    _build_warehouse(warehouse, 1)
    _write_table(
        warehouse,
        "fct_k",
        "select range % 50000 as k, range as i, md5(range::varchar) as label from range(400000)",
    )
    sizes = []
    for night in range(6):
        _write_table(
            warehouse,
            "fct_x",
            f"select range as id, md5(range::varchar || '{night}') as label from range(150000)",
        )
        with duckdb.connect(str(warehouse)) as con:
            con.execute(f"update marts.fct_k set label = md5(label) where k % 100 = {night}")
        publication = publish(warehouse, serving, manifest_path=manifest)
        if night:
            assert publication.by_key == {"marts.fct_k": 500}
        sizes.append(publication.version_path.stat().st_size)
    assert max(sizes[2:]) <= sizes[1] * 1.1, sizes
    assert _serving_rows(serving, "fct_k") == _build_rows(warehouse, "fct_k")


def test_a_publish_by_naming_no_column_of_the_mart_fails_clearly(tmp_path: Path) -> None:
    warehouse = tmp_path / "build.duckdb"
    manifest = _keyed_manifest(tmp_path / "manifest.json")
    _build_warehouse(warehouse, 1)
    _write_table(warehouse, "fct_k", "select 1 as id")  # no column k
    with pytest.raises(ValueError, match=r"marts\.fct_k: .*meta\.publish_by names k"):
        publish(warehouse, tmp_path / "serving", manifest_path=manifest)
    assert not (tmp_path / "serving" / SERVING_NAME).exists()
