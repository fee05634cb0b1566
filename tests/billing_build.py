"""Build part of the project on a hand-made landing folder: ingest every landed entity
(canonical and native) through the landing gate, then dbt-build the selected models and
everything upstream of them (seeds, data and unit tests), with a fixed as-of date."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from tests.build_files import open_read_only

AS_OF_DATE = "2025-12-31"


def ingest_and_build(
    landing: Path, warehouse: Path, scratch: Path, select: list[str]
) -> subprocess.CompletedProcess[str]:
    from orchestration.dbt_project import dbt_executable
    from orchestration.ingestion.ingest import ingest_entity
    from orchestration.landed_entities import LANDED_ENTITIES
    from orchestration.settings import PROJECT_DIR

    warehouse.parent.mkdir(parents=True, exist_ok=True)
    for entity in LANDED_ENTITIES:
        report = ingest_entity(warehouse, landing, entity)
        assert report.rows_rejected == 0, report.row_reject_examples
        assert report.files_rejected == 0, report.rejected_file_messages
    env = {**os.environ, "FUNNEL_WAREHOUSE": str(warehouse), "FUNNEL_AS_OF_DATE": AS_OF_DATE}
    args = [dbt_executable(), "build", "--select", *select]
    args += ["--indirect-selection", "cautious", "--project-dir", str(PROJECT_DIR)]
    args += ["--profiles-dir", str(PROJECT_DIR), "--target-path", str(scratch / "target")]
    args += ["--log-path", str(scratch / "logs")]
    return subprocess.run(args, env=env, cwd=PROJECT_DIR, capture_output=True, text=True)


def query(warehouse: Path, sql: str) -> list[tuple]:

    with open_read_only(warehouse) as con:
        return con.execute(sql).fetchall()
