"""What "publish" means on an engine other than DuckDB (README "Scaling out").

DuckDB copies the marts into a serving file (orchestration/publishing/). On PostgreSQL and Spark
the marts schema/database the build just wrote is what BI tools read, so nothing is copied.
"""

from __future__ import annotations

from collections.abc import Callable

import dagster as dg


def publish_on_engine(target: str, *loggers: Callable[[str], None]) -> dg.MaterializeResult:
    """Record that the marts are served from ``target``'s marts schema (no DuckDB file)."""
    message = f"marts published in place on {target} (schema marts); no DuckDB serving file"
    for log in loggers:
        log(message)
    return dg.MaterializeResult(metadata={"engine": target, "schema": "marts"})
