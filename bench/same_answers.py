"""Same answers (issue 17, item 4): the marts after the night equal a full rebuild's.

After the night, the benchmark builds the same landing folder again into an empty warehouse
(a third build per scale) and compares one hash per mart table of the two builds' marts files
(``<warehouse>.marts.duckdb``). A table's hash covers its columns and their types, its row
count and two order-independent aggregates of DuckDB's row hash (sum and xor): equal hashes,
equal content, whatever the row order.
"""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path
from typing import Any

import duckdb

from orchestration.warehouse import marts_file_of

MARTS = "marts"


def mart_hashes(warehouse: Path, schema: str = MARTS) -> dict[str, str]:
    """Table -> content hash of every table of ``schema`` in the marts file of the DuckDB
    warehouse ``warehouse`` (or in ``warehouse`` itself, a serving file or a marts file)."""
    hashes: dict[str, str] = {}
    with duckdb.connect(str(marts_file_of(warehouse)), read_only=True) as con:
        tables = [
            str(row[0])
            for row in con.execute(
                "select table_name from duckdb_tables() where schema_name = ? order by 1",
                [schema],
            ).fetchall()
        ]
        for table in tables:
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() "
                "where schema_name = ? and table_name = ? order by column_index",
                [schema, table],
            ).fetchall()
            row = con.execute(
                "select count(*), sum(hash(t)::hugeint)::varchar, bit_xor(hash(t))::varchar "
                f'from {schema}."{table}" as t'
            ).fetchone()
            content = json.dumps([columns, list(row or [])], default=str)
            hashes[table] = hashlib.sha256(content.encode("utf-8")).hexdigest()
    return hashes


def compare(night: Path, rebuild: Path) -> dict[str, Any]:
    """The verdict for the results file: ``identical`` or the tables that differ."""
    started = time.perf_counter()
    left, right = mart_hashes(night), mart_hashes(rebuild)
    differing = sorted(t for t in set(left) | set(right) if left.get(t) != right.get(t))
    return {
        "result": ("identical" if left else "no mart tables") if not differing else "differ",
        "differing_tables": differing,
        "only_in_night": sorted(set(left) - set(right)),
        "only_in_rebuild": sorted(set(right) - set(left)),
        "mart_tables": len(set(left) | set(right)),
        "hashes": {"night": left, "rebuild": right},
        "hash_seconds": round(time.perf_counter() - started, 3),
    }
