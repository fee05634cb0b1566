"""Publishing a large mart by key: only the keys whose rows changed are rewritten (issue 17).

A mart whose dbt config names ``meta: {publish_by: [<key column>, ...]}`` (today
``fct_attribution_credits``, ``fct_stage_transitions``, ``lead_scores`` and
``fct_deal_versions``: large, and a night changes about 1 % of their keys) is fingerprinted per
key as well as whole: per key its row count and the sum and bit-xor of DuckDB's ``hash()`` of
each row. The whole-table fingerprint is derived from those sums, so it is the one every other
mart gets. The serving file keeps the per-key fingerprints in ``meta."<schema>.<name>.by_key"``.

When the new version starts as a copy of the current file and the mart's fingerprint differs,
the keys whose fingerprint differs (or that exist on one side only) are the changed keys: their
rows are deleted from the copy and inserted from the build. The result is then checked against
the build's whole-table fingerprint (row count and both sums); if it differs, or the columns
differ, or the file has no per-key fingerprints, the mart is copied whole, as any other. So a
published mart is always equal to the build's: the by-key path only saves the copy.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb


@dataclass(frozen=True)
class KeyedMart:
    """A mart published by key: ``table`` is ``<schema>.<name>``."""

    table: str
    keys: tuple[str, ...]
    #: the temporary table holding the build's per-key fingerprints
    build_keys: str

    @property
    def changed_keys(self) -> str:
        return f"{self.build_keys}_changed"

    @property
    def key_fingerprints(self) -> str:
        """The per-key fingerprint table in a serving file's ``meta`` schema."""
        return f'"{self.table}.by_key"'


def _quoted(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _same_keys(mart: KeyedMart, left: str, right: str) -> str:
    return " and ".join(
        f"{left}.{_quoted(key)} is not distinct from {right}.{_quoted(key)}" for key in mart.keys
    )


def content_row(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[object, ...]:
    """(row count, sum, bit-xor) of DuckDB's ``hash()`` of each row of ``relation``: the content
    part of every mart's fingerprint, and what a rewrite by key is checked against."""
    row = con.execute(
        "select count(*), sum(hash(t)::hugeint)::varchar, bit_xor(hash(t))::varchar "
        f"from {relation} as t"
    ).fetchone()
    assert row is not None
    return tuple(row)


def fingerprint_rows_by_key(
    con: duckdb.DuckDBPyConnection, relation: str, mart: KeyedMart
) -> tuple[object, ...]:
    """Keep the per-key fingerprints of ``relation`` in the temporary table ``mart.build_keys``
    and return the whole table's (row count, sum, bit-xor), as ``content_row`` would give them."""
    keys = ", ".join(_quoted(key) for key in mart.keys)
    con.execute(
        f"create or replace temp table {mart.build_keys} as "
        f"select {keys}, count(*) as row_count, sum(hash(t)::hugeint) as hash_sum, "
        f"bit_xor(hash(t)) as hash_xor from {relation} as t group by {keys}"
    )
    row = con.execute(
        "select coalesce(sum(row_count), 0), sum(hash_sum)::varchar, bit_xor(hash_xor)::varchar "
        f"from {mart.build_keys}"
    ).fetchone()
    assert row is not None
    return tuple(row)


def find_changed_keys(con: duckdb.DuckDBPyConnection, mart: KeyedMart) -> int | None:
    """Against the serving file attached as ``serving``: keep the keys whose fingerprint differs
    in ``mart.changed_keys`` and return the rows to rewrite (the build's rows of those keys plus
    the serving file's), or None when the file has no per-key fingerprints of these keys."""
    columns = con.execute(
        "select column_name from duckdb_columns() where database_name = 'serving' "
        "and schema_name = 'meta' and table_name = ? order by column_index",
        [f"{mart.table}.by_key"],
    ).fetchall()
    if [name for (name,) in columns] != [*mart.keys, "row_count", "hash_sum", "hash_xor"]:
        return None
    keys = ", ".join(
        f"coalesce(b.{_quoted(key)}, p.{_quoted(key)}) as {_quoted(key)}" for key in mart.keys
    )
    con.execute(
        f"create or replace temp table {mart.changed_keys} as "
        f"select {keys}, coalesce(b.row_count, 0) + coalesce(p.row_count, 0) as row_count "
        f"from {mart.build_keys} as b "
        f"full join serving.meta.{mart.key_fingerprints} as p on {_same_keys(mart, 'b', 'p')} "
        "where b.row_count is distinct from p.row_count or b.hash_sum is distinct from p.hash_sum "
        "or b.hash_xor is distinct from p.hash_xor"
    )
    row = con.execute(f"select coalesce(sum(row_count), 0) from {mart.changed_keys}").fetchone()
    return int(row[0]) if row else 0


def _columns(con: duckdb.DuckDBPyConnection, database: str, table: str) -> list[tuple[str, str]]:
    schema, name = table.split(".", 1)
    rows = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = ? and schema_name = ? and table_name = ? order by column_index",
        [database, schema, name],
    ).fetchall()
    return [(str(column), str(data_type)) for column, data_type in rows]


def rewrite_changed_keys(
    con: duckdb.DuckDBPyConnection, mart: KeyedMart, expected: tuple[object, ...]
) -> int | None:
    """In the serving copy attached as ``serving``: delete the rows of the changed keys and insert
    the build's. Returns the number of keys rewritten when the table then has the build's row
    count and hash sums (``expected``), None when it could not be done or does not check out
    (the caller then copies the table whole, replacing what this wrote)."""
    if _columns(con, "build", mart.table) != _columns(con, "serving", mart.table):
        return None
    schema, name = mart.table.split(".", 1)
    target = f"serving.{schema}.{_quoted(name)}"
    con.execute(
        f"delete from {target} as t using {mart.changed_keys} as c "
        f"where {_same_keys(mart, 't', 'c')}"
    )
    con.execute(
        f"insert into {target} select t.* from build.{schema}.{_quoted(name)} as t "
        f"semi join {mart.changed_keys} as c on {_same_keys(mart, 't', 'c')}"
    )
    if content_row(con, target) != tuple(expected):
        return None
    keys = con.execute(f"select count(*) from {mart.changed_keys}").fetchone()
    return int(keys[0]) if keys else 0


def write_key_fingerprints(con: duckdb.DuckDBPyConnection, mart: KeyedMart) -> None:
    """Keep the build's per-key fingerprints in the new version's ``meta`` schema."""
    con.execute(
        f"create table serving.meta.{mart.key_fingerprints} as select * from {mart.build_keys}"
    )
    con.execute(
        f"comment on table serving.meta.{mart.key_fingerprints} is 'One row per key of "
        f"{mart.table} ({', '.join(mart.keys)}): its row count and sums of row hashes (the "
        "next version rewrites only the keys whose fingerprint changed).'"
    )
