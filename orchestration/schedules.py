"""When the nightly build runs: on a schedule, and when new files land."""

import dagster as dg

from orchestration.ingestion.landed_files import is_landed_file_name
from orchestration.settings import landing_dir

nightly_build = dg.define_asset_job(
    "nightly_build",
    selection=dg.AssetSelection.all(),
    description="Ingest every new landed file, then dbt build (models, seeds, tests).",
)

nightly_schedule = dg.ScheduleDefinition(
    name="nightly_build_schedule",
    job=nightly_build,
    cron_schedule="0 2 * * *",
    execution_timezone="UTC",
    description="Every night at 02:00 UTC.",
)


def _landing_fingerprint() -> str:
    """Names, sizes and modification times of every landed file: changes when a file lands."""
    root = landing_dir()
    if not root.is_dir():
        return ""
    parts = [
        f"{p.relative_to(root).as_posix()}:{p.stat().st_size}:{p.stat().st_mtime_ns}"
        for p in sorted(root.rglob("*"))
        if p.is_file() and is_landed_file_name(p.name)
    ]
    return str(hash("\n".join(parts))) if parts else ""


@dg.sensor(
    job=nightly_build,
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.STOPPED,
    description="Starts a build when files in the landing folder change (checked every 5 min).",
)
def landing_folder_sensor(context: dg.SensorEvaluationContext) -> dg.SensorResult:
    fingerprint = _landing_fingerprint()
    if not fingerprint or fingerprint == context.cursor:
        return dg.SensorResult(skip_reason="no new landed files", cursor=context.cursor)
    return dg.SensorResult(run_requests=[dg.RunRequest(run_key=fingerprint)], cursor=fingerprint)
