"""What "publish" means on an engine other than DuckDB (README "Scaling out").

DuckDB copies the marts into a serving file (orchestration/publishing/). On PostgreSQL the
``marts`` schema the build just wrote is served in place: the read-only reader role is granted
it again (``postgres_serving``). On Spark the marts are tables of the ``marts`` database in the
metastore; whoever reads them uses the same metastore (nothing to grant on a local metastore).
"""

from __future__ import annotations

from collections.abc import Callable

import dagster as dg

from orchestration.engines.targets import POSTGRES


def publish_on_engine(target: str, *loggers: Callable[[str], None]) -> dg.MaterializeResult:
    """Serve the marts where they were built; no DuckDB serving file is written."""
    metadata: dict[str, object] = {"engine": target, "schema": "marts"}
    if target == POSTGRES:
        from orchestration.engines.postgres_connection import PostgresSettings
        from orchestration.engines.postgres_serving import grant_reader

        grant = grant_reader(PostgresSettings.from_environment())
        metadata["reader_role"] = grant.role
        message = f"marts served on PostgreSQL: {grant.line()}"
    else:
        message = f"marts served on {target}: tables of the marts database in the metastore"
    for log in loggers:
        log(message)
    return dg.MaterializeResult(metadata=metadata)
