"""The dbt CLI resource, without two start-up costs of dagster-dbt this project never uses.

Before it starts ``dbt build``, dagster-dbt's ``DbtCliResource.cli`` runs ``dbt --version`` in a
subprocess (a whole dbt start, to learn the version of the dbt installed next to this Python)
and loads the dbt project, profile and adapter in this process (a handle only used to fetch row
counts and column metadata, which the build never asks for). Measured on the 2-core machine:
about 6 s of every build before dbt's first line (BENCHMARKS.md, "Fixed cost"). Here the version
comes from the installed package when ``dbt_executable`` is that package's own ``dbt``, and no
adapter handle is made. Both are private methods of dagster-dbt: tests/test_dbt_cli.py fails
when an upgrade renames them, rather than letting the saving silently vanish.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import Any

from dagster_dbt import DbtCliResource
from packaging import version


def _packaged_dbt() -> Path:
    """The ``dbt`` script that the installed dbt-core package put next to this Python."""
    return Path(sys.executable).parent / "dbt"


class FunnelDbtCliResource(DbtCliResource):
    """``DbtCliResource`` with the version read from the installed package and no adapter."""

    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable) == _packaged_dbt():
            return version.parse(metadata.version("dbt-core"))
        return super()._cli_version  # another dbt: ask it

    def _initialize_dbt_core_adapter(self, args: Any) -> Any:
        return None  # no row counts or column metadata are fetched


#: dbt's own log file (``dbt.log`` in the invocation's target folder) keeps dbt's info events
#: (every node's start, result and timing, warnings and errors), not the debug ones (every SQL
#: statement and connection event): measured on a 10,000-lead build, 5.1 MB of log against 1.3
#: MB and about 6 % of the dbt step. The SQL stays in target/compiled and target/run. Set
#: ``DBT_LOG_LEVEL_FILE=debug`` to get the debug events back.
FILE_LOG_LEVEL = "info"


@contextmanager
def file_log_level() -> Iterator[None]:
    """While a dbt process starts (it copies this environment): ``DBT_LOG_LEVEL_FILE`` is
    ``FILE_LOG_LEVEL`` unless set. Restored afterwards: ``dbt parse`` digests the ``DBT_*``
    environment (``orchestration/parse_inputs.py``), so the setting must not outlive the start."""
    if "DBT_LOG_LEVEL_FILE" in os.environ:
        yield
        return
    os.environ["DBT_LOG_LEVEL_FILE"] = FILE_LOG_LEVEL
    try:
        yield
    finally:
        os.environ.pop("DBT_LOG_LEVEL_FILE", None)
