"""Raw on the chosen engine: DuckDB keeps it where ingestion wrote it; others get a copy."""

from __future__ import annotations

import os
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
    from orchestration.engines.spark_handover import hand_over_to_spark
    from orchestration.engines.spark_settings import SPARK_DIR_VARIABLE, spark_dir

    # dbt's Spark session (profiles.yml) must open the same folder
    os.environ[SPARK_DIR_VARIABLE] = str(spark_dir(warehouse))
    say(f"[handover] DuckDB raw -> Spark raw ({spark_dir(warehouse)}, Parquet)")
    say(f"[handover] {hand_over_to_spark(warehouse)}")


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
