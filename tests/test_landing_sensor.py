"""The landing sensor's cursor: the same files give the same cursor in every process (a daemon
restart must not look like new files), and a new landed file changes it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.sensors import landing_fingerprint, landing_folder_sensor
from orchestration.settings import PROJECT_DIR
from tests.conftest import write_landed

FINGERPRINT = (
    "import sys; from pathlib import Path; "
    "from orchestration.defs.sensors import landing_fingerprint; "
    "print(landing_fingerprint(Path(sys.argv[1])), hash(sys.argv[1]))"
)


def _in_a_new_interpreter(landing: Path, hash_seed: str) -> tuple[str, str]:
    done = subprocess.run(
        [sys.executable, "-c", FINGERPRINT, str(landing)],
        env={**os.environ, "PYTHONHASHSEED": hash_seed},
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    fingerprint, builtin_hash = done.stdout.split()
    return fingerprint, builtin_hash


def _land(landing: Path, name: str = "leads_1.csv") -> None:
    write_landed(landing, "crm/leads", name, "lead_id,created_at\nL1,2025-01-01T00:00:00Z\n")


def test_the_fingerprint_is_the_same_in_two_interpreter_processes(landing: Path) -> None:
    _land(landing)
    first, first_hash = _in_a_new_interpreter(landing, "1")
    second, second_hash = _in_a_new_interpreter(landing, "2")
    assert first_hash != second_hash  # Python's hash() really differs between these two
    assert first == second == landing_fingerprint(landing)
    assert len(first) == 64  # a sha256 hex digest


def test_a_new_landed_file_changes_the_fingerprint_and_nothing_else_does(landing: Path) -> None:
    assert landing_fingerprint(landing) == ""  # nothing landed yet
    _land(landing)
    before = landing_fingerprint(landing)
    assert before and landing_fingerprint(landing) == before
    _land(landing, "leads_2.csv")
    assert landing_fingerprint(landing) not in ("", before)


def test_the_sensor_requests_a_run_only_when_the_fingerprint_changed(
    landing: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FUNNEL_LANDING_DIR", str(landing))
    _land(landing)
    fingerprint = landing_fingerprint(landing)

    result = landing_folder_sensor(dg.build_sensor_context(cursor=None))
    assert isinstance(result, dg.SensorResult)
    assert [r.run_key for r in result.run_requests or []] == [fingerprint]
    assert result.cursor == fingerprint

    unchanged = landing_folder_sensor(dg.build_sensor_context(cursor=fingerprint))
    assert isinstance(unchanged, dg.SensorResult)
    assert not unchanged.run_requests and unchanged.cursor == fingerprint


ROW = "lead_id,created_at\nL1,2025-01-01T00:00:00Z\n"

#: files the gate loads: each changes the fingerprint (upper-case and mixed-case extensions,
#: nested sub-folders, a leading underscore, glob characters in the name)
GATE_LOADS = [
    "crm/leads/LEADS.CSV",
    "crm/leads/x.Csv.GZ",
    "crm/leads/2025/07/nested.csv",
    "crm/leads/_backfill.csv",
    "crm/leads/changes[1].csv",
    "web/touchpoints/T.PARQUET",
]
#: files the gate never loads (ignored or unrecognised): none changes the fingerprint
GATE_SKIPS = [
    "crm/leads/~$leads.csv",
    "crm/leads/leads.csv.part",
    "crm/leads/.hidden.csv",
    "crm/leads/.retracted/old.csv",
    "crm/contacts/contacts.csv",
    "crm/leads.csv",
    "root.csv",
    "crm/leads/leads.xlsx",
    "crm/leads/Thumbs.db",
]


@pytest.mark.parametrize("relative", GATE_LOADS)
def test_every_file_the_gate_loads_changes_the_fingerprint(landing: Path, relative: str) -> None:
    _land(landing)
    before = landing_fingerprint(landing)
    target = landing / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(ROW, encoding="utf-8")
    assert landing_fingerprint(landing) not in ("", before)


@pytest.mark.parametrize("relative", GATE_SKIPS)
def test_no_file_the_gate_skips_changes_the_fingerprint(landing: Path, relative: str) -> None:
    _land(landing)
    before = landing_fingerprint(landing)
    target = landing / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(ROW, encoding="utf-8")
    assert landing_fingerprint(landing) == before


def test_a_symlinked_folder_s_files_change_the_fingerprint(landing: Path, tmp_path: Path) -> None:
    _land(landing)
    before = landing_fingerprint(landing)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "linked.csv").write_text(ROW, encoding="utf-8")
    (landing / "crm" / "leads" / "linked").symlink_to(elsewhere, target_is_directory=True)
    assert landing_fingerprint(landing) not in ("", before)


def test_the_fingerprint_covers_exactly_the_files_the_gate_loads(landing: Path) -> None:
    """The sensor and the gate agree file by file: the fingerprint of the whole tree equals
    the fingerprint of a tree holding only the files scan_landing classifies as entity files."""
    from orchestration.ingestion.landing_scan import scan_landing

    for relative in [*GATE_LOADS, *GATE_SKIPS]:
        target = landing / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(ROW, encoding="utf-8")
    loaded = sorted(f.relative_path for f in scan_landing(landing) if f.kind == "entity")
    assert loaded == sorted(GATE_LOADS)
    expected = hashlib.sha256(
        "\n".join(
            f"{r}:{(landing / r).stat().st_size}:{(landing / r).stat().st_mtime_ns}" for r in loaded
        ).encode()
    ).hexdigest()
    assert landing_fingerprint(landing) == expected
