"""``funnel docs``: dbt's docs site (lineage, every description, the metrics, the exposures).

``dbt docs generate`` writes its artifacts to ``target/docs/`` (not ``target/``, whose
manifest the nightly build reads) through the read-only ``metrics`` target of profiles.yml, so
it never takes the build's write lock; ``dbt docs serve`` then serves them on localhost.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from orchestration.dbt_project import dbt_executable
from orchestration.semantic.metricflow import mf_environment
from orchestration.settings import PROJECT_DIR

DOCS_TARGET = PROJECT_DIR / "target" / "docs"


def generate_docs(duckdb_file: Path) -> Path:
    """Generate the site from the project and the catalog of ``duckdb_file``; its folder."""
    subprocess.run(
        [dbt_executable(), "docs", "generate", "--target-path", str(DOCS_TARGET), "--quiet"],
        cwd=PROJECT_DIR,
        env=mf_environment(duckdb_file),
        check=True,
    )
    return DOCS_TARGET


def serve_docs(duckdb_file: Path, port: int) -> int:
    """Serve the generated site on http://127.0.0.1:<port> until interrupted."""
    completed = subprocess.run(
        [
            dbt_executable(),
            "docs",
            "serve",
            "--target-path",
            str(DOCS_TARGET),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--no-browser",
        ],
        cwd=PROJECT_DIR,
        env=mf_environment(duckdb_file),
        check=False,
    )
    return completed.returncode
