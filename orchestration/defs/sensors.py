"""Starting the nightly build when files land."""

import hashlib
from pathlib import Path

import dagster as dg

from orchestration.defs.jobs import nightly_build
from orchestration.ingestion.landed_files import is_landed_file_name
from orchestration.settings import landing_dir


def landing_fingerprint(root: Path) -> str:
    """sha256 of the names, sizes and modification times of every landed file ("" when none).

    A digest, not Python's ``hash()``: that one is salted per process, so every restart of the
    daemon would look like new files had landed.
    """
    if not root.is_dir():
        return ""
    parts = [
        f"{p.relative_to(root).as_posix()}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
        for p in sorted(root.rglob("*"))
        if p.is_file() and is_landed_file_name(p.name)
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest() if parts else ""


@dg.sensor(
    job=nightly_build,
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts a build when files in the landing folder change (checked every 5 min).",
)
def landing_folder_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    fingerprint = landing_fingerprint(landing_dir())
    if not fingerprint or fingerprint == context.cursor:
        return dg.SensorResult(skip_reason="no new landed files", cursor=context.cursor)
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=fingerprint)], cursor=fingerprint)
