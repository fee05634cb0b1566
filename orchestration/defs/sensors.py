"""Starting the nightly build when files land."""

import hashlib
from pathlib import Path

import dagster as dg

from orchestration.defs.jobs import nightly_build
from orchestration.ingestion.landing_scan import scan_landing
from orchestration.settings import landing_dir


def landing_fingerprint(root: Path) -> str:
    """sha256 of the paths, sizes and modification times of every entity file ("" when none).

    The files are those the ingestion reads, found by the gate's own :func:`scan_landing`:
    extensions in any case, nested and linked folders, no ignored (temp, lock, hidden) file
    and no unrecognised one, so a file the build would load changes the fingerprint and a
    file it would not read does not. A digest, not Python's ``hash()``: that one is salted
    per process, so every restart of the daemon would look like new files had landed.
    """
    parts = []
    for scanned in scan_landing(root):
        if scanned.kind != "entity":
            continue
        stat = scanned.path.stat()
        parts.append(f"{scanned.relative_path}:{stat.st_size}:{stat.st_mtime_ns}")
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
