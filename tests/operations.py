"""Helpers for the operations tests: content hashes of tables, landed PII, CLI builds (one, or
several started at the same instant)."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from orchestration.settings import PROJECT_DIR
from tests.build_files import open_read_only


def table_hashes(database: Path, schema: str = "marts") -> dict[str, str]:
    """One order-independent content hash per table of ``schema``."""
    with open_read_only(database) as con:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = ? "
                "order by 1",
                [schema],
            ).fetchall()
        ]
        hashes = {}
        for table in tables:
            row = con.execute(
                f"""
                select count(*) || ':' || coalesce(md5(string_agg(row_text, chr(10)
                    order by row_text)), '')
                from (select cast(t as varchar) as row_text from {schema}."{table}" as t)
                """
            ).fetchone()
            hashes[table] = str(row[0]) if row else ""
    return hashes


def landed_pii(landing: Path) -> set[str]:
    """Every e-mail address and phone number that landed, lowercased and trimmed."""
    found: set[str] = set()
    for path in landing.rglob("*.csv"):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                for column in ("email", "phone"):
                    value = (row.get(column) or "").strip().lower()
                    if value:
                        found.add(value)
    return found


def cli_build_command(landing: Path, warehouse: Path, serving: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "orchestration.cli",
        "build",
        "--landing",
        str(landing),
        "--warehouse",
        str(warehouse),
        "--serving",
        str(serving),
    ]


def cli_env(dagster_home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["DAGSTER_HOME"] = str(dagster_home)
    dagster_home.mkdir(parents=True, exist_ok=True)
    return env


def run_cli_build(landing: Path, warehouse: Path, serving: Path, dagster_home: Path) -> str:
    done = subprocess.run(
        cli_build_command(landing, warehouse, serving),
        env=cli_env(dagster_home),
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


#: a `funnel` process that imports everything, says it is ready, then waits for the go file:
#: two of them released by the same file start building within a millisecond of each other
_RACER = r"""
import os, sys, time
ready, go, args = sys.argv[1], sys.argv[2], sys.argv[3:]
from orchestration import cli
import orchestration.runner.nightly  # the slow imports happen before the barrier
open(ready, "w").close()
while not os.path.exists(go):
    time.sleep(0.001)
code = cli.main(args)
print(f"exited at {time.time()!r}", file=sys.stderr)
sys.exit(code)
"""


def run_at_the_same_instant(
    commands: list[list[str]], env: dict[str, str], workdir: Path
) -> list[subprocess.CompletedProcess[str]]:
    """Run ``funnel`` commands (argument lists) in separate processes released together."""
    workdir.mkdir(parents=True, exist_ok=True)
    go = workdir / "go"
    started = []
    for number, args in enumerate(commands):
        ready = workdir / f"ready-{number}"
        out, err = workdir / f"out-{number}.txt", workdir / f"err-{number}.txt"
        process = subprocess.Popen(
            [sys.executable, "-c", _RACER, str(ready), str(go), *args],
            env=env,
            cwd=PROJECT_DIR,
            stdout=out.open("w"),
            stderr=err.open("w"),
        )
        started.append((process, ready, out, err, args))
    while not all(ready.exists() for _, ready, *_ in started):
        if any(process.poll() is not None for process, *_ in started):
            break  # one died before the barrier: the results will say why
        time.sleep(0.01)
    go.touch()
    results = []
    for process, _, out, err, args in started:
        process.wait(timeout=900)
        results.append(
            subprocess.CompletedProcess(args, process.returncode, out.read_text(), err.read_text())
        )
    return results


#: progress lines of `funnel build`, in order, and the phase each one starts
BUILD_PHASES = (
    ("parsing the dbt project", "dbt parse"),
    ("dbt project unchanged", "dbt parse"),
    ("dbt state of another", "dbt parse"),
    ("dbt parse of another", "dbt parse"),
    ("building ", "ingestion"),
    ("[dbt] ", "dbt build"),
    ("published version", "publishing"),
    ("run summary:", "summary and row counts"),
)


def build_phase(stdout: str) -> str:
    """The phase a build was in, from the progress lines it printed so far."""
    phase = "start-up (imports, lock, Dagster instance)"
    for line in stdout.splitlines():
        for marker, name in BUILD_PHASES:
            if line.startswith(marker):
                phase = name
    return phase


def kill_build_after(
    seconds: float, landing: Path, warehouse: Path, serving: Path, env: dict[str, str], log: Path
) -> str:
    """Start `funnel build`, SIGKILL it and its dbt child after ``seconds``; the phase it was
    in (or "finished" when it ended first)."""
    with log.open("w") as out:
        process = subprocess.Popen(
            cli_build_command(landing, warehouse, serving),
            env=env,
            cwd=PROJECT_DIR,
            stdout=out,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
        finished = process.poll() is not None
        if not finished:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    return "finished" if finished else build_phase(log.read_text(errors="replace"))
