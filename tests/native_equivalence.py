"""Compare the marts of a canonical build and a native build of the same generated world.

Per mart table, the native side's ids lose their system prefix (``salesforce:``) and the
columns a system cannot carry (``CANNOT_CARRY``, reasons in the README's "Bring your CRM") are
left out; then the rows must be identical (``except all`` both ways). Run::

    .venv/bin/python -m tests.native_equivalence CANONICAL.duckdb NATIVE.duckdb salesforce
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb

from orchestration.ingestion.ingest import ingest_entity
from orchestration.landed_entities import LANDED_ENTITIES
from tests.build_files import marts_file_of
from tests.dbt_cli import run_dbt

#: the generated world both CRM oracles land (canonical, Salesforce, HubSpot): 400 leads, seed 16
#: (at that scale seed 42 has no deleted deal; seed 16 has every edge, asserted by each oracle);
#: its canonical build is made once per session (conftest's canonical_world)
LEADS, SEED = 400, 16
WORLD = {"leads": LEADS, "seed": SEED, "start_date": date(2025, 1, 1), "days": 365}
AS_OF = "2025-12-31"

#: column -> why a native system's build cannot give the canonical value
CANNOT_CARRY: dict[str, str] = {
    "source_system": "the canonical rows name the CRM they came from; native rows their system",
    "stage_label": "a native system writes its own labels (mapped to the same stage keys)",
    "status_label": "a native system writes its own labels (mapped to the same stage keys)",
}
#: surrogate keys hashed from ids that carry the system prefix (the rows are still compared on
#: every other column, the natural keys among them)
HASHED_KEYS = frozenset(
    {
        "attributed_revenue_id",
        "attribution_credit_id",
        "deal_version_id",
        "customer_month_id",
        "stage_spell_id",
        "stage_transition_id",
        "marketing_efficiency_id",
    }
)


def build_world(root: Path, landing: Path, env: dict[str, str]) -> Path:
    warehouse = root / "funnel.duckdb"
    for entity in LANDED_ENTITIES:
        ingest_entity(warehouse, landing, entity)
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        result = run_dbt(["build", "--exclude-resource-type", "unit_test"], warehouse, root)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    assert result.returncode == 0, result.stdout[-4000:]
    return warehouse


@dataclass(frozen=True)
class Difference:
    table: str
    only_canonical: int
    only_native: int


def _columns(con: duckdb.DuckDBPyConnection, catalog: str, table: str) -> list[tuple[str, str]]:
    return con.execute(
        "select column_name, data_type from information_schema.columns where table_catalog = ? "
        "and table_schema = 'marts' and table_name = ? order by ordinal_position",
        [catalog, table],
    ).fetchall()


def compare(canonical: Path, native: Path, system: str) -> tuple[list[str], list[Difference]]:
    """(tables compared, tables that differ)."""
    con = duckdb.connect()
    con.execute(f"attach '{marts_file_of(canonical)}' as c (read_only)")
    con.execute(f"attach '{marts_file_of(native)}' as n (read_only)")
    tables = [
        r[0]
        for r in con.execute(
            "select table_name from information_schema.tables where table_catalog = 'c' and "
            "table_schema = 'marts' and table_type = 'BASE TABLE' order by 1"
        ).fetchall()
    ]
    prefix = f"{system}:"
    differences = []
    for table in tables:
        left_out = CANNOT_CARRY.keys() | HASHED_KEYS
        kept = [(n, t) for n, t in _columns(con, "c", table) if n not in left_out]
        assert kept == [c for c in _columns(con, "n", table) if c[0] not in left_out], table
        native_columns = ", ".join(
            f"replace(\"{n}\", '{prefix}', '') as \"{n}\"" if t == "VARCHAR" else f'"{n}"'
            for n, t in kept
        )
        canonical_columns = ", ".join(f'"{n}"' for n, _ in kept)
        c_sql = f"select {canonical_columns} from c.marts.{table}"
        n_sql = f"select {native_columns} from n.marts.{table}"
        counted = con.execute(
            f"select (select count(*) from ({c_sql} except all {n_sql})), "
            f"(select count(*) from ({n_sql} except all {c_sql}))"
        ).fetchone()
        assert counted is not None
        if counted != (0, 0):
            differences.append(Difference(table, int(counted[0]), int(counted[1])))
    return tables, differences


def main(argv: list[str]) -> int:
    tables, differences = compare(Path(argv[0]), Path(argv[1]), argv[2])
    for d in differences:
        print(f"{d.table}: {d.only_canonical} rows only canonical, {d.only_native} only native")
    print(f"{len(tables) - len(differences)} of {len(tables)} marts tables equivalent")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
