"""The build's as-of day when ``as_of_date`` is unset: one moment per dbt invocation.

Ages, open spells and the plausible-date window are measured to the build's "today". Read from
the database's clock, each model took it as it ran, so a build that ran across midnight measured
some marts to one day and some to the next. The macros now take dbt's ``run_started_at``: every
compiled model carries the same timestamp, the one the invocation started at, and none reads
the clock. Real dbt compiles every model (no warehouse is needed to compile them).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.dbt_cli import run_dbt

TARGET = ("--target", "duckdb")
LITERAL = re.compile(r"cast\('(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)' as timestamp\)")


def test_every_model_measures_to_the_moment_the_invocation_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("FUNNEL_AS_OF_DATE", raising=False)
    monkeypatch.setenv("FUNNEL_IDLE_NATIVE_SYSTEMS", "")  # every native system's models too
    before = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    compiled = run_dbt(
        ["compile", "--select", "resource_type:model", "--indirect-selection", "empty", *TARGET],
        tmp_path / "warehouse.duckdb",
        tmp_path,
    )
    after = datetime.now(UTC).replace(tzinfo=None)
    assert compiled.returncode == 0, compiled.stdout[-3000:]

    models = list((tmp_path / "target" / "compiled").rglob("models/**/*.sql"))
    assert len(models) > 100
    moments: dict[str, set[str]] = {}
    for path in models:
        sql = path.read_text(encoding="utf-8").lower()
        assert "now()" not in sql and "current_timestamp" not in sql, path.name
        for moment in LITERAL.findall(sql):
            moments.setdefault(moment, set()).add(path.stem)
    assert len(moments) == 1, moments  # one moment in every model that needs "now"
    [(moment, readers)] = moments.items()
    assert {"int_stage_spells", "stalled_entities", "int_implausible_dates"} <= readers
    assert before <= datetime.fromisoformat(moment) <= after
