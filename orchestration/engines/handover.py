"""Raw on the chosen engine: DuckDB keeps it where ingestion wrote it; others get a copy."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from orchestration.engines.targets import DUCKDB, POSTGRES, normalize_target


def hand_over_raw(warehouse: Path, target: str, say: Callable[[str], None] = print) -> None:
    """Copy the DuckDB warehouse's raw tables to ``target``'s raw schema (nothing for duckdb)."""
    target = normalize_target(target)
    if target == DUCKDB:
        return
    if target == POSTGRES:
        from orchestration.engines.postgres_connection import PostgresSettings
        from orchestration.engines.postgres_handover import hand_over_to_postgres

        settings = PostgresSettings.from_environment()
        say(f"[handover] DuckDB raw -> PostgreSQL {settings.host}:{settings.port} raw (COPY)")
        say(f"[handover] {hand_over_to_postgres(warehouse, settings).line()}")
        return
    raise NotImplementedError(f"no raw handover to {target} yet")


def main(argv: list[str] | None = None) -> int:
    """``python -m orchestration.engines.handover WAREHOUSE --target postgres``."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m orchestration.engines.handover")
    parser.add_argument("warehouse", help="the DuckDB build file whose raw schema is copied")
    parser.add_argument("--target", required=True, help="postgres or spark")
    args = parser.parse_args(argv)
    hand_over_raw(Path(args.warehouse).resolve(), args.target)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
