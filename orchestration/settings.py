"""Where things are: project folder, landing folder, warehouse file. Read from the environment.

- ``FUNNEL_LANDING_DIR``: the landing folder (default ``data/landing`` in the project)
- ``FUNNEL_WAREHOUSE``: the DuckDB build file (default ``data/warehouse/funnel.duckdb``)
- ``FUNNEL_SERVING_DIR``: where published serving files go (default ``data/serving``)
"""

from __future__ import annotations

import os
from pathlib import Path

#: the repository root: dbt_project.yml, profiles.yml, seeds/ and models/ live here
PROJECT_DIR = Path(__file__).resolve().parent.parent


def _path(variable: str, default: Path) -> Path:
    value = os.environ.get(variable)
    return Path(value).expanduser().resolve() if value else default


def landing_dir() -> Path:
    return _path("FUNNEL_LANDING_DIR", PROJECT_DIR / "data" / "landing")


def warehouse_path() -> Path:
    return _path("FUNNEL_WAREHOUSE", PROJECT_DIR / "data" / "warehouse" / "funnel.duckdb")


def serving_dir() -> Path:
    return _path("FUNNEL_SERVING_DIR", PROJECT_DIR / "data" / "serving")


def quiet_telemetry() -> None:
    """Turn off dbt's anonymous usage stats (they hang offline) and other phoning home.
    Called by the ``funnel`` command when it starts, never at import."""
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")
