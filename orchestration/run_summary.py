"""What one build did: files and rows loaded and rejected, tests passed, published version.

The file and row figures come from the load manifest (``raw._load_manifest``), the record the
loader writes in the same transaction as the rows: the rows this build wrote (its Dagster run
id) and the whole manifest. They hold whichever steps failed. Tests, checks, failures and the
published version come from the run's events.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from dagster import AssetCheckEvaluation, AssetCheckSeverity, ExecuteInProcessResult

from orchestration.ingestion.manifest import ManifestCounts, manifest_counts, unrecognised_files
from orchestration.ingestion.raw_tables import MANIFEST_TABLE

#: unrecognised files named in the summary (all are in the manifest)
UNRECOGNISED_SHOWN = 10


@dataclass
class RunSummary:
    success: bool
    this_build: ManifestCounts = field(default_factory=lambda: ManifestCounts({}))
    in_total: ManifestCounts = field(default_factory=lambda: ManifestCounts({}))
    unrecognised: list[str] = field(default_factory=list)
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    checks_warned: list[str] = field(default_factory=list)
    published_version: str | None = None
    failures: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        now, total = self.this_build, self.in_total
        lines = [
            f"files this build: {now.of('loaded')} loaded, {now.of('rejected')} rejected, "
            f"{now.of('ignored')} ignored, {now.of('unrecognised')} unrecognised",
            f"rows this build: {now.rows_loaded:,} loaded, {now.rows_rejected:,} rejected",
            f"manifest in total: {total.of('loaded')} files loaded, {total.of('rejected')} "
            f"rejected, {total.of('retracted')} retracted; {total.rows_loaded:,} rows loaded, "
            f"{total.rows_rejected:,} rejected",
            *(f"UNRECOGNISED {line}" for line in self.unrecognised[:UNRECOGNISED_SHOWN]),
        ]
        if len(self.unrecognised) > UNRECOGNISED_SHOWN:
            lines.append(
                f"... and {len(self.unrecognised) - UNRECOGNISED_SHOWN} more unrecognised "
                f"(select * from {MANIFEST_TABLE} where status = 'unrecognised')"
            )
        lines += [
            f"tests and checks: {self.checks_passed} passed, {len(self.checks_failed)} failed"
            + (f" ({', '.join(self.checks_failed)})" if self.checks_failed else "")
            + (
                f", {len(self.checks_warned)} warned ({', '.join(self.checks_warned)})"
                if self.checks_warned
                else ""
            ),
            f"published version: {self.published_version or 'none (nothing published)'}",
            *(f"FAILED {failure}" for failure in self.failures),
        ]
        return lines


def _value(metadata: dict[str, Any], key: str) -> Any:
    entry = metadata.get(key)
    return getattr(entry, "value", entry)


def _read_manifest(summary: RunSummary, warehouse: Path, run_id: str) -> None:
    if not warehouse.exists():
        return
    with duckdb.connect(str(warehouse), read_only=True) as con:
        known = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema || '.' || table_name = ?",
            [MANIFEST_TABLE],
        ).fetchone()
        if not known or not known[0]:
            return
        summary.this_build = manifest_counts(con, run_id)
        summary.in_total = manifest_counts(con)
        summary.unrecognised = unrecognised_files(con)


def summarize(result: ExecuteInProcessResult, warehouse: Path) -> RunSummary:
    summary = RunSummary(success=result.success)
    for event in result.all_events:
        data = event.event_specific_data
        if event.is_step_failure and event.step_failure_data:
            summary.failures.append(f"{event.step_key}: {event.step_failure_data.error.message}")
        if event.event_type_value == "ASSET_CHECK_EVALUATION" and isinstance(
            data, AssetCheckEvaluation
        ):
            name = f"{data.asset_key.to_user_string()}:{data.check_name}"
            if data.passed:
                summary.checks_passed += 1
            elif data.severity == AssetCheckSeverity.WARN:
                summary.checks_warned.append(name)
            else:
                summary.checks_failed.append(name)
        if event.is_step_materialization:
            materialization = event.step_materialization_data.materialization
            version = _value(dict(materialization.metadata), "version")
            # the serving file's materialization names its version (the report's does not)
            if materialization.asset_key.path[0] == "serving" and version is not None:
                summary.published_version = str(version)
    _read_manifest(summary, warehouse, result.run_id)
    return summary
