"""One build at a time: a second `funnel build` on the same warehouse refuses at once.

Two builds started at the same instant on a new warehouse used to both run and publish, and
every later build then failed at start-up (``Version table 'alembic_version' has more than one
head present``: both had created Dagster's storage at once). The build now takes an exclusive
lock before anything else, Dagster's storage included.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from orchestration.runner.lock import build_lock
from orchestration.settings import PROJECT_DIR
from tests.operations import run_at_the_same_instant, run_cli_build

BUSY = "is open in another process"
RACE_TRIES = 1
RACE_TRIES_LONG = 10


@pytest.fixture(scope="module")
def tiny_landing(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from orchestration.sample_data import generate_landing

    landing = tmp_path_factory.mktemp("tiny") / "landing"
    generate_landing(landing, leads=50, seed=3)
    return landing


def _env_without_dagster_home() -> dict[str, str]:
    """The instance then lives next to each warehouse: a new warehouse, a new instance."""
    return {k: v for k, v in os.environ.items() if k != "DAGSTER_HOME"}


def _build_args(landing: Path, warehouse: Path, serving: Path) -> list[str]:
    return [
        *("build", "--landing", str(landing)),
        *("--warehouse", str(warehouse), "--serving", str(serving)),
    ]


def _exit_time(run: subprocess.CompletedProcess[str]) -> float:
    found = re.search(r"exited at ([0-9.]+)", run.stderr)
    assert found, run.stderr[-2000:]
    return float(found.group(1))


def test_a_build_refuses_at_once_while_another_holds_the_lock(
    tiny_landing: Path, tmp_path: Path
) -> None:
    warehouse = tmp_path / "warehouse" / "funnel.duckdb"
    env = _env_without_dagster_home()
    with build_lock(warehouse):
        started = time.monotonic()
        args = _build_args(tiny_landing, warehouse, tmp_path / "serving")
        refused = subprocess.run(
            [sys.executable, "-m", "orchestration.cli", *args],
            env=env,
            cwd=PROJECT_DIR,
            capture_output=True,
            text=True,
            timeout=300,
        )
        seconds = time.monotonic() - started
    assert refused.returncode == 3, refused.stdout[-2000:] + refused.stderr[-2000:]
    assert BUSY in refused.stderr and "funnel.duckdb.lock" in refused.stderr
    assert "Readers should use the serving file" in refused.stderr
    # refused before touching anything: no Dagster storage, no warehouse, no parse
    assert not (warehouse.parent / "dagster_home").exists() and not warehouse.exists()
    assert "parsing" not in refused.stdout
    assert seconds < 60


def _race(landing: Path, root: Path, tries: int, *, build_again_every_time: bool) -> None:
    env = _env_without_dagster_home()
    for attempt in range(tries):
        work = root / f"try-{attempt}"
        warehouse = work / "warehouse" / "funnel.duckdb"
        serving = work / "serving"
        args = _build_args(landing, warehouse, serving)
        first, second = run_at_the_same_instant([args, args], env, work / "race")

        outcomes = sorted([first, second], key=lambda run: run.returncode)
        ran, refused = outcomes
        context = f"try {attempt}: " + "\n".join(
            f"exit {r.returncode}\n{r.stdout[-1500:]}\n{r.stderr[-1500:]}" for r in outcomes
        )
        assert (ran.returncode, refused.returncode) == (0, 3), context
        assert "build succeeded" in ran.stdout and "published version" in ran.stdout, context
        assert BUSY in refused.stderr and "Readers should use the serving file" in refused.stderr
        # refused by the build lock, not by luck (DuckDB's own lock when both opened the
        # file in the same millisecond, which is what happens without the build lock)
        assert "a running build holds funnel.duckdb.lock" in refused.stderr, context
        assert "parsing" not in refused.stdout, context  # it did nothing before refusing
        assert _exit_time(refused) < _exit_time(ran), context  # at once, not after waiting

        # the instance is healthy: its storage opens, and it holds exactly the one run
        home = warehouse.parent / "dagster_home"
        with dg.DagsterInstance.from_config(str(home)) as instance:
            runs = instance.get_runs()
            assert [run.status for run in runs] == [dg.DagsterRunStatus.SUCCESS], context
        if build_again_every_time or attempt == tries - 1:
            again = run_cli_build(landing, warehouse, serving, home)
            assert "build succeeded" in again


def test_two_builds_started_at_the_same_instant_one_runs_one_refuses(
    tiny_landing: Path, tmp_path: Path
) -> None:
    """One try on a new warehouse (the long mode tries ten); a third build afterwards."""
    _race(tiny_landing, tmp_path, RACE_TRIES, build_again_every_time=False)


@pytest.mark.slow
def test_two_builds_at_the_same_instant_long_mode(tiny_landing: Path, tmp_path: Path) -> None:
    """Ten tries, each on a new warehouse and followed by a third build."""
    _race(tiny_landing, tmp_path, RACE_TRIES_LONG, build_again_every_time=True)
