"""Running the real dbt CLI against a test warehouse, with its own target and log folders."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from orchestration.settings import PROJECT_DIR

DBT = Path(sys.executable).parent / "dbt"


def run_dbt(
    args: list[str], warehouse: Path, workdir: Path, *, timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    """``dbt <args>`` on ``warehouse``; target/ and logs/ go under ``workdir``."""
    return subprocess.run(
        [
            str(DBT) if DBT.exists() else "dbt",
            *args,
            *("--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)),
            *("--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")),
        ],
        cwd=PROJECT_DIR,
        env={**os.environ, "FUNNEL_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
