"""Row counts per layer of the warehouse, for the CLI's closing summary."""

from __future__ import annotations

from pathlib import Path

from orchestration.warehouse import connect

LAYERS = ("raw", "seeds", "staging", "intermediate", "marts")


def row_counts_by_layer(warehouse: Path) -> dict[str, list[tuple[str, int]]]:
    counts: dict[str, list[tuple[str, int]]] = {}
    with connect(warehouse, read_only=True, with_marts=True) as con:
        tables = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_schema in (select unnest(?)) order by table_schema, table_name",
            [list(LAYERS)],
        ).fetchall()
        for schema, table in tables:
            row = con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()
            counts.setdefault(schema, []).append((f"{schema}.{table}", int(row[0]) if row else 0))
    return {layer: counts[layer] for layer in LAYERS if layer in counts}
