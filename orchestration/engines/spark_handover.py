"""Hand DuckDB ``raw`` over to Spark: each table exported to Parquet, saved as ``raw.<table>``.

Runs in a child process (``hand_over_to_spark``) so its JVM, and with it the embedded Derby
metastore's lock, is gone before dbt's Spark session starts. Every night replaces the tables.
TIMESTAMP columns arrive as Spark ``timestamp`` (session time zone UTC, so the wall-clock
values are DuckDB's), DECIMAL(38,9) as decimal(38,9), VARCHAR as string.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from orchestration.engines.raw_tables import RAW_SCHEMA, export_table, raw_tables
from orchestration.engines.spark_settings import SPARK_DIR_VARIABLE, spark_conf, spark_dir
from orchestration.warehouse import connect


def hand_over_to_spark(warehouse: Path) -> str:
    """Export raw to Parquet here, load it in a child Spark process; returns its summary line."""
    folder = spark_dir(warehouse)
    folder.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="funnel-handover-", dir=folder) as exports:
        with connect(warehouse, read_only=True) as duck:
            for table in raw_tables(duck):
                # Spark skips files whose name starts with _ (raw._load_manifest): prefix them
                export_table(duck, table, Path(exports) / f"t.{table.name}.parquet", "parquet")
        env = dict(os.environ, **{SPARK_DIR_VARIABLE: str(folder)})
        done = subprocess.run(
            [sys.executable, "-m", "orchestration.engines.spark_handover", exports],
            check=False,
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"the Spark raw handover failed:\n{done.stderr[-4000:]}")
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "no raw tables"
    return f"{summary} in {time.monotonic() - started:.1f} s"


def load_parquet_folder(exports: Path, folder: Path) -> str:
    """In this process: one Spark session, every ``<table>.parquet`` -> ``raw.<table>``."""
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql.types import TimestampNTZType

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in spark_conf(folder).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    rows = 0
    files = sorted(exports.glob("t.*.parquet"))
    try:
        spark.sql(f"create database if not exists {RAW_SCHEMA}")
        for file in files:
            frame = spark.read.parquet(str(file))
            frame = frame.select(
                *(
                    F.col(f"`{field.name}`").cast("timestamp").alias(field.name)
                    if isinstance(field.dataType, TimestampNTZType)
                    else F.col(f"`{field.name}`")
                    for field in frame.schema.fields
                )
            )
            table = f"{RAW_SCHEMA}.{file.stem.removeprefix('t.')}"
            spark.sql(f"drop table if exists {table}")
            frame.write.format("parquet").saveAsTable(table)
            rows += spark.table(table).count()
    finally:
        spark.stop()
    return f"handed {len(files)} raw tables ({rows:,} rows) over"


if __name__ == "__main__":
    print(load_parquet_folder(Path(sys.argv[1]), Path(os.environ[SPARK_DIR_VARIABLE])))
