"""``funnel docs``: dbt's docs site (lineage, every description, the metrics, the exposures).

``dbt docs generate`` writes its artifacts to ``target/docs/`` (not ``target/``, whose
manifest the nightly build reads) through the read-only ``docs`` target of profiles.yml (the
warehouse and its marts file attached read-only), so it never takes the build's write lock;
the folder is then served on localhost, as ``dbt docs serve`` would (index.html reads
manifest.json and catalog.json beside it).
"""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

from orchestration.dbt_project import dbt_executable
from orchestration.semantic.metricflow import mf_environment
from orchestration.settings import PROJECT_DIR
from orchestration.warehouse import marts_path

DOCS_TARGET = PROJECT_DIR / "target" / "docs"


def docs_environment(duckdb_file: Path) -> dict[str, str]:
    """The environment for ``dbt docs generate``: the ``docs`` target reading ``duckdb_file``
    read-only. A warehouse is attached under its dbt database name (its file's stem) with its
    marts file as ``marts_db``; a serving file (or a marts file) as ``marts_db`` alone."""
    env = mf_environment(duckdb_file)
    marts = marts_path(duckdb_file)
    if marts.exists():
        env["FUNNEL_DOCS_WAREHOUSE"] = str(duckdb_file.resolve())
        env["FUNNEL_DOCS_DATABASE"] = duckdb_file.stem
        env["FUNNEL_DOCS_MARTS"] = str(marts.resolve())
    else:
        env["FUNNEL_DOCS_MARTS"] = str(duckdb_file.resolve())
    return env


def generate_docs(duckdb_file: Path) -> Path:
    """Generate the site from the project and the catalog of ``duckdb_file``; its folder."""
    subprocess.run(
        [dbt_executable(), "docs", "generate", "--target-path", str(DOCS_TARGET), "--quiet"],
        cwd=PROJECT_DIR,
        env={**docs_environment(duckdb_file), "DBT_TARGET": "docs"},
        check=True,
    )
    return DOCS_TARGET


def serve_folder(folder: Path, port: int) -> int:
    """Serve ``folder`` on http://127.0.0.1:<port> until interrupted by Ctrl-C or SIGTERM (what
    ``dbt docs serve`` does, in this process, so stopping it leaves no server behind)."""
    import functools
    import http.server
    import signal
    from types import FrameType

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt  # SIGTERM stops it as Ctrl-C does

    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with server, contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0
