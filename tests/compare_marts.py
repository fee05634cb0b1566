"""Compare the marts of two warehouse files, table by table.

A refactoring of the models must leave every mart identical. Build the same landing folder
with the old and the new code (with ``FUNNEL_AS_OF_DATE`` fixed), then run::

    .venv/bin/python -m tests.compare_marts OLD.duckdb NEW.duckdb

Per table it prints the row count, an order-independent content hash and the rows found only
in one side (``except all`` both ways, so duplicates count); columns must have the same names,
types and order. Exits 1 when any table differs or exists on one side only.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

from tests.build_files import marts_file_of


@dataclass(frozen=True)
class TableComparison:
    table: str
    old_rows: int | None
    new_rows: int | None
    old_hash: int | None
    new_hash: int | None
    only_old: int | None
    only_new: int | None
    same_columns: bool

    @property
    def identical(self) -> bool:
        return (
            self.same_columns
            and self.old_rows == self.new_rows
            and self.old_hash == self.new_hash
            and self.only_old == 0
            and self.only_new == 0
        )


def columns(con: duckdb.DuckDBPyConnection, catalog: str, schema: str, table: str) -> list:
    return con.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_catalog = ? and table_schema = ? and table_name = ? "
        "order by ordinal_position",
        [catalog, schema, table],
    ).fetchall()


def tables(con: duckdb.DuckDBPyConnection, catalog: str, schema: str) -> set[str]:
    rows = con.execute(
        # views are left out: a DuckDB view names its file's catalog, which an attached copy lacks
        "select table_name from information_schema.tables "
        "where table_catalog = ? and table_schema = ? and table_type = 'BASE TABLE'",
        [catalog, schema],
    ).fetchall()
    return {name for (name,) in rows}


def content(con: duckdb.DuckDBPyConnection, relation: str) -> tuple[int, int]:
    """Row count and the sum of the row hashes (order-independent, duplicate-sensitive)."""
    count, total = con.execute(
        f"select count(*), coalesce(sum(hash(t)::hugeint), 0) from {relation} as t"
    ).fetchone()
    return int(count), int(total)


def count_except(con: duckdb.DuckDBPyConnection, left: str, right: str) -> int:
    (count,) = con.execute(
        f"select count(*) from (select * from {left} except all select * from {right})"
    ).fetchone()
    return int(count)


def compare(old: Path, new: Path, schema: str = "marts") -> list[TableComparison]:
    if schema == "marts":  # a warehouse's marts are in its marts file
        old, new = marts_file_of(old), marts_file_of(new)
    con = duckdb.connect()
    con.execute(f"attach '{old}' as old_db (read_only)")
    con.execute(f"attach '{new}' as new_db (read_only)")
    old_tables = tables(con, "old_db", schema)
    new_tables = tables(con, "new_db", schema)
    results = []
    for table in sorted(old_tables | new_tables):
        old_rel, new_rel = f"old_db.{schema}.{table}", f"new_db.{schema}.{table}"
        if table not in old_tables or table not in new_tables:
            old_content = content(con, old_rel) if table in old_tables else (None, None)
            new_content = content(con, new_rel) if table in new_tables else (None, None)
            results.append(
                TableComparison(
                    table,
                    old_content[0],
                    new_content[0],
                    old_content[1],
                    new_content[1],
                    None,
                    None,
                    same_columns=False,
                )
            )
            continue
        same_columns = columns(con, "old_db", schema, table) == columns(
            con, "new_db", schema, table
        )
        old_rows, old_hash = content(con, old_rel)
        new_rows, new_hash = content(con, new_rel)
        only_old = count_except(con, old_rel, new_rel) if same_columns else None
        only_new = count_except(con, new_rel, old_rel) if same_columns else None
        results.append(
            TableComparison(
                table, old_rows, new_rows, old_hash, new_hash, only_old, only_new, same_columns
            )
        )
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("old", type=Path, help="warehouse file built by the old code")
    parser.add_argument("new", type=Path, help="warehouse file built by the new code")
    parser.add_argument("--schema", default="marts", help="schema to compare (default: marts)")
    args = parser.parse_args(argv)
    results = compare(args.old, args.new, args.schema)
    print(f"{'table':<36} {'rows old':>10} {'rows new':>10} {'only old':>9} {'only new':>9}  hash")
    for r in results:
        verdict = "identical" if r.identical else "DIFFERENT"
        digest = f"{r.old_hash % 2**64:016x}" if r.old_hash is not None else "-"
        if r.new_hash != r.old_hash:
            new_digest = f"{r.new_hash % 2**64:016x}" if r.new_hash is not None else "-"
            digest = f"{digest} != {new_digest}"
        if not r.same_columns:
            verdict += " (columns differ)"
        print(
            f"{r.table:<36} {r.old_rows!s:>10} {r.new_rows!s:>10} "
            f"{r.only_old!s:>9} {r.only_new!s:>9}  {digest}  {verdict}"
        )
    differing = [r.table for r in results if not r.identical]
    print(f"{len(results) - len(differing)} of {len(results)} {args.schema} tables identical")
    return 1 if differing or not results else 0


if __name__ == "__main__":
    sys.exit(main())
