"""The local Spark set-up shared by the raw handover and profiles.yml's ``spark`` target.

One data folder (``FUNNEL_SPARK_DIR``, default ``<warehouse folder>/spark``) holds the table
files (``warehouse/``) and the embedded Derby metastore (``metastore_db/``). Derby admits one
JVM at a time: the handover runs in a child process whose JVM exits before dbt starts its own.
Keep ``server_side_parameters`` in profiles.yml equal to ``spark_conf`` below.
"""

from __future__ import annotations

import os
from pathlib import Path

SPARK_DIR_VARIABLE = "FUNNEL_SPARK_DIR"


def spark_dir(warehouse: Path) -> Path:
    """``FUNNEL_SPARK_DIR`` or the ``spark`` folder next to the DuckDB warehouse file."""
    value = os.environ.get(SPARK_DIR_VARIABLE)
    return Path(value).resolve() if value else warehouse.resolve().parent / "spark"


def spark_conf(folder: Path) -> dict[str, str]:
    """The session configuration (UTC, 2 shuffle partitions, Derby metastore in ``folder``)."""
    return {
        "spark.sql.warehouse.dir": str(folder / "warehouse"),
        "spark.hadoop.javax.jdo.option.ConnectionURL": (
            f"jdbc:derby:;databaseName={folder / 'metastore_db'};create=true"
        ),
        "spark.driver.extraJavaOptions": f"-Dderby.system.home={folder}",
        "spark.sql.session.timeZone": "UTC",
        # CREATE TABLE without USING makes a Parquet table, not a Hive text-serde one
        "spark.sql.legacy.createHiveTableByDefault": "false",
        "spark.sql.shuffle.partitions": "2",
        "spark.default.parallelism": "2",
        "spark.ui.enabled": "false",
        "spark.master": "local[2]",
        "spark.driver.memory": "2g",
    }
