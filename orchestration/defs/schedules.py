"""When the nightly build runs on its own: every night."""

import dagster as dg

from orchestration.defs.jobs import nightly_build

nightly_build_schedule = dg.ScheduleDefinition(
    name="nightly_build_schedule",
    job=nightly_build,
    cron_schedule="0 2 * * *",
    execution_timezone="UTC",
    description="Every night at 02:00 UTC.",
)
