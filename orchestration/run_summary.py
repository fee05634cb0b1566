"""What one build did: files and rows loaded and rejected, tests passed, published version."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dagster import AssetCheckEvaluation, ExecuteInProcessResult


@dataclass
class RunSummary:
    success: bool
    files_loaded: int = 0
    files_skipped: int = 0
    files_rejected: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    checks_passed: int = 0
    checks_failed: list[str] = field(default_factory=list)
    published_version: str | None = None
    failures: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"files: {self.files_loaded} loaded, {self.files_skipped} already loaded, "
            f"{self.files_rejected} rejected",
            f"rows: {self.rows_loaded:,} loaded, {self.rows_rejected:,} rejected",
            f"tests and checks: {self.checks_passed} passed, {len(self.checks_failed)} failed"
            + (f" ({', '.join(self.checks_failed)})" if self.checks_failed else ""),
            f"published version: {self.published_version or 'none (nothing published)'}",
            *(f"FAILED {failure}" for failure in self.failures),
        ]


def _value(metadata: dict[str, Any], key: str) -> Any:
    entry = metadata.get(key)
    return getattr(entry, "value", entry)


def summarize(result: ExecuteInProcessResult) -> RunSummary:
    summary = RunSummary(success=result.success)
    for event in result.all_events:
        data = event.event_specific_data
        if event.is_step_failure and event.step_failure_data:
            summary.failures.append(f"{event.step_key}: {event.step_failure_data.error.message}")
        if event.event_type_value == "ASSET_CHECK_EVALUATION" and isinstance(
            data, AssetCheckEvaluation
        ):
            if data.passed:
                summary.checks_passed += 1
            else:
                summary.checks_failed.append(f"{data.asset_key.to_user_string()}:{data.check_name}")
        if event.is_step_materialization:
            materialization = event.step_materialization_data.materialization
            metadata = dict(materialization.metadata)
            path = materialization.asset_key.path
            if path[0] == "raw":
                summary.files_loaded += int(_value(metadata, "files_loaded") or 0)
                summary.files_skipped += int(_value(metadata, "files_skipped") or 0)
                summary.files_rejected += int(_value(metadata, "files_rejected") or 0)
                summary.rows_loaded += int(_value(metadata, "rows_loaded") or 0)
                summary.rows_rejected += int(_value(metadata, "rows_rejected") or 0)
            elif path[0] == "serving":
                summary.published_version = str(_value(metadata, "version"))
    return summary
