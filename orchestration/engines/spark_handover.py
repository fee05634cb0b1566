"""Hand DuckDB ``raw`` over to Spark: each table exported to Parquet, registered as ``raw.<table>``.

DuckDB writes ``<spark dir>/raw_files/<night>/<table>/data.parquet`` (TIMESTAMP columns as UTC
instants, which Spark reads as ``timestamp``; the session time zone is UTC, so the wall-clock
values are DuckDB's; DECIMAL(38,9) stays decimal(38,9), VARCHAR becomes string). A child process
then points ``raw.<table>`` at each folder (``create table ... using parquet location``: no data
is copied by Spark) and drops the previous night's files. The child's JVM, and with it the
embedded Derby metastore's lock, is gone before dbt's Spark session starts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from orchestration.engines.raw_tables import RAW_SCHEMA, RawTable, quote, raw_tables
from orchestration.engines.spark_settings import SPARK_DIR_VARIABLE, spark_conf, spark_dir
from orchestration.warehouse import connect

RAW_FILES = "raw_files"


def _export(con: object, table: RawTable, target: Path) -> None:
    columns = ", ".join(
        f"{quote(c.name)}::timestamptz as {quote(c.name)}"
        if c.duckdb_type.upper() == "TIMESTAMP"
        else quote(c.name)
        for c in table.columns
    )
    target.parent.mkdir(parents=True, exist_ok=True)
    source = f"{quote(RAW_SCHEMA)}.{quote(table.name)}"
    con.execute("set TimeZone = 'UTC'")  # type: ignore[attr-defined]
    con.execute(  # type: ignore[attr-defined]
        f"copy (select {columns} from {source}) to '{target}' (format parquet)"
    )


def hand_over_to_spark(warehouse: Path) -> str:
    """Export raw to Parquet here, register it in a child Spark process; its summary line."""
    folder = spark_dir(warehouse)
    night = folder / RAW_FILES / datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    started = time.monotonic()
    with connect(warehouse, read_only=True) as duck:
        for table in raw_tables(duck):
            # a folder per table: Spark skips files and folders whose name starts with _
            _export(duck, table, night / f"t.{table.name}" / "data.parquet")
    env = dict(os.environ, **{SPARK_DIR_VARIABLE: str(folder)})
    done = subprocess.run(
        [sys.executable, "-m", "orchestration.engines.spark_handover", str(night)],
        check=False,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"the Spark raw handover failed:\n{done.stderr[-4000:]}")
    for older in (folder / RAW_FILES).iterdir():
        if older != night:
            shutil.rmtree(older, ignore_errors=True)
    summary = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "no raw tables"
    return f"{summary} in {time.monotonic() - started:.1f} s"


def register_tables(night: Path, folder: Path) -> str:
    """In this process: one Spark session; every ``t.<table>/`` folder -> ``raw.<table>``."""
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.enableHiveSupport()
    for key, value in spark_conf(folder).items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    tables = sorted(path for path in night.iterdir() if path.name.startswith("t."))
    try:
        spark.sql(f"create database if not exists {RAW_SCHEMA}")
        for path in tables:
            table = f"{RAW_SCHEMA}.`{path.name.removeprefix('t.')}`"
            spark.sql(f"drop table if exists {table}")
            spark.sql(f"create table {table} using parquet location '{path}'")
    finally:
        spark.stop()
    return f"handed {len(tables)} raw tables over"


if __name__ == "__main__":
    print(register_tables(Path(sys.argv[1]), Path(os.environ[SPARK_DIR_VARIABLE])))
