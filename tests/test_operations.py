"""Operating it: re-runs are safe, builds are idempotent, readers never fail, kills lose nothing,
and no e-mail address or phone number reaches a mart or the serving file."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pytest

from orchestration.publishing.serving_file import SERVING_NAME, current_serving_version
from tests.build_files import open_read_only
from tests.conftest import SampleBuild, materialize_everything
from tests.operations import (
    cli_env,
    kill_build_after,
    landed_pii,
    run_cli_build,
    table_hashes,
)

READER = r"""
import json, sys, time, duckdb
path, stop, out = sys.argv[1], sys.argv[2], sys.argv[3]
ok = failed = 0
errors = []
import os
while not os.path.exists(stop):
    try:
        with duckdb.connect(path, read_only=True) as con:
            con.execute("select count(*) from marts.fct_funnel").fetchone()
            con.execute("select version from meta.publication").fetchone()
        ok += 1
    except Exception as error:  # every failure counts
        failed += 1
        errors.append(str(error)[:200])
    time.sleep(0.02)
json.dump({"ok": ok, "failed": failed, "errors": errors[:5]}, open(out, "w"))
"""


def _serving_dir(build: SampleBuild) -> Path:
    return build.warehouse.parent.parent / "serving"


def test_a_second_run_on_the_same_warehouse_loads_nothing_and_changes_nothing(
    sample_build: SampleBuild,
) -> None:
    before = table_hashes(sample_build.warehouse)
    raw_before = sample_build.query("select count(*) from raw._load_manifest")
    result = materialize_everything(sample_build.landing, sample_build.warehouse)
    assert result.success
    assert sample_build.query("select count(*) from raw._load_manifest") == raw_before
    assert table_hashes(sample_build.warehouse) == before


def test_readers_never_fail_while_a_fresh_build_publishes_identical_marts(
    sample_build: SampleBuild, tmp_path: Path
) -> None:
    serving = _serving_dir(sample_build)
    serving_file = serving / SERVING_NAME
    version_before = current_serving_version(serving)
    assert version_before is not None
    stop, out = tmp_path / "stop", tmp_path / "reader.json"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(serving_file), str(stop), str(out)]
    )
    try:
        warehouse = tmp_path / "again" / "funnel.duckdb"
        run_cli_build(sample_build.landing, warehouse, serving, tmp_path / "dagster_home")
    finally:
        stop.touch()
        reader.wait(timeout=60)
    counts = json.loads(out.read_text())
    assert counts["failed"] == 0, counts["errors"]
    assert counts["ok"] > 10
    # a new version was published, and two builds of the same landing folder are identical
    assert current_serving_version(serving) != version_before
    reference = table_hashes(sample_build.warehouse)
    assert table_hashes(warehouse) == reference
    assert table_hashes(serving_file) == reference


def test_no_email_or_phone_in_any_mart_or_in_the_serving_file(sample_build: SampleBuild) -> None:
    pii = landed_pii(sample_build.landing)
    assert len(pii) > 100  # the sample really carries e-mails and phones
    for database in (sample_build.warehouse, _serving_dir(sample_build) / SERVING_NAME):
        with open_read_only(database) as con:
            con.execute("create temp table pii (value varchar)")
            con.executemany("insert into pii values (?)", [[v] for v in sorted(pii)])
            columns = con.execute(
                "select table_schema, table_name, column_name from information_schema.columns "
                "where table_schema = 'marts' and data_type = 'VARCHAR'"
            ).fetchall()
            assert columns
            for schema, table, column in columns:
                leaks = con.execute(
                    f'select distinct "{column}" from {schema}."{table}" '
                    f'where lower(trim("{column}")) in (select value from pii) '
                    f"or \"{column}\" similar to '.*[^@ ]+@[^@ ]+[.][a-z]{{2,}}.*' limit 3"
                ).fetchall()
                assert leaks == [], f"{database.name}: {table}.{column} holds {leaks}"


def _crash_points() -> int:
    return int(os.environ.get("FUNNEL_CRASH_POINTS", "3"))


def test_killing_the_build_at_random_points_loses_nothing(
    sample_build: SampleBuild, tmp_path: Path
) -> None:
    """SIGKILL the nightly build (the `funnel build` process and its dbt child) at seeded
    random moments; after each kill the serving file is whole, and the run after the last
    kill produces marts identical to an uninterrupted build. More points: FUNNEL_CRASH_POINTS."""
    rng = random.Random(20261123)
    warehouse = tmp_path / "crashed" / "funnel.duckdb"
    serving = tmp_path / "serving"
    env = cli_env(tmp_path / "dagster_home")
    published: list[str] = []
    for point in range(_crash_points()):
        phase = kill_build_after(
            rng.uniform(2.0, 25.0), sample_build.landing, warehouse, serving, env, tmp_path / "log"
        )
        print(f"kill {point}: {phase}")
        version = current_serving_version(serving)  # opens and reads it: never broken
        if version:
            published.append(version)
        assert published == sorted(published), f"kill {point}: serving went backwards"
    run_cli_build(sample_build.landing, warehouse, serving, tmp_path / "dagster_home")
    assert table_hashes(warehouse) == table_hashes(sample_build.warehouse)
    assert table_hashes(serving / SERVING_NAME) == table_hashes(sample_build.warehouse)


def _timed_build(landing: Path, warehouse: Path, serving: Path, home: Path) -> float:
    started = time.monotonic()
    run_cli_build(landing, warehouse, serving, home)
    return time.monotonic() - started


@pytest.mark.slow
def test_killing_the_build_long_mode(sample_build: SampleBuild, tmp_path: Path) -> None:
    """20 kills (FUNNEL_CRASH_POINTS_LONG) at seeded random moments anywhere in a build, about
    half on a new warehouse, half on a built one; after every kill the next build runs to the
    end and its marts and serving file are identical to an uninterrupted build's."""
    reference = table_hashes(sample_build.warehouse)
    home, serving = tmp_path / "dagster_home", tmp_path / "serving"
    env = cli_env(home)
    # how long an uninterrupted build takes, on a new warehouse and on a built one
    timing = tmp_path / "timing" / "funnel.duckdb"
    durations = {
        "new": _timed_build(sample_build.landing, timing, serving, home),
        "built": _timed_build(sample_build.landing, timing, serving, home),
    }
    assert table_hashes(timing) == reference

    rng = random.Random(20261203)
    kills: list[dict[str, object]] = []
    warehouse = timing
    for point in range(int(os.environ.get("FUNNEL_CRASH_POINTS_LONG", "20"))):
        state = "new" if point % 2 == 0 else "built"
        if state == "new":
            warehouse = tmp_path / f"crashed-{point}" / "funnel.duckdb"
        seconds = rng.uniform(0.5, 0.9 * durations[state])
        before = current_serving_version(serving)
        log = tmp_path / "log"
        while (
            phase := kill_build_after(seconds, sample_build.landing, warehouse, serving, env, log)
        ) == "finished":
            state, seconds = "built", seconds / 2  # the machine got faster: kill sooner
        after = current_serving_version(serving)  # opens and reads it: never broken
        assert before is None or (after is not None and after >= before), f"kill {point}"
        run_cli_build(sample_build.landing, warehouse, serving, home)
        identical = table_hashes(warehouse) == reference
        served = table_hashes(serving / SERVING_NAME) == reference
        kills.append(
            {"kill": point, "warehouse": state, "seconds": round(seconds, 1), "phase": phase}
            | {"next_build_identical": identical and served}
        )
        print(f"kill {point}: {kills[-1]}", flush=True)
    (tmp_path / "kills.json").write_text(json.dumps(kills, indent=2))
    phases = sorted({str(k["phase"]) for k in kills})
    print(f"uninterrupted builds (s): {durations}; phases hit: {phases}", flush=True)
    assert all(k["next_build_identical"] for k in kills), kills


def test_a_build_with_a_failing_dbt_test_publishes_nothing(
    sample_build: SampleBuild, tmp_path: Path
) -> None:
    import shutil

    import dagster as dg

    landing = tmp_path / "landing"
    shutil.copytree(sample_build.landing, landing)
    # a label nobody mapped: the all_stage_labels_mapped test must fail the build
    (landing / "crm" / "lead_status_changes" / "late.csv").write_text(
        "lead_id,status,changed_at,source_system\nL0000001,Stage Nobody Mapped,"
        "2025-12-30T10:00:00Z,hubspot\n",
        encoding="utf-8",
    )
    warehouse = tmp_path / "warehouse" / "funnel.duckdb"
    result = materialize_everything(landing, warehouse)

    assert not result.success
    failed_checks = [
        e.event_specific_data.check_name  # type: ignore[union-attr]
        for e in result.all_events
        if isinstance(e.event_specific_data, dg.AssetCheckEvaluation)
        and not e.event_specific_data.passed
    ]
    assert any("all_stage_labels_mapped" in name for name in failed_checks), failed_checks
    assert not (tmp_path / "serving" / SERVING_NAME).exists()
