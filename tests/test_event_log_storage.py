"""The build's Dagster instance keeps one SQLAlchemy engine, with one connection set to
``synchronous=NORMAL``, per event-log database (orchestration/runner/event_log_storage.py) and
writes the same history Dagster's default storage reads (`dagster dev`)."""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from orchestration.runner.event_log_storage import KeptEngineSqliteEventLogStorage
from orchestration.runner.instance import dagster_home, open_instance


@dg.op
def say_hello(context) -> int:  # type: ignore[no-untyped-def]  # (Dagster reads the annotation)
    context.log.info("hello")
    return 1


@dg.job
def hello_job() -> None:
    say_hello()


def test_a_run_s_events_are_read_back_by_dagster_s_own_storage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DAGSTER_HOME", raising=False)
    home = dagster_home(tmp_path / "warehouse" / "funnel.duckdb")
    with open_instance(home) as instance:
        assert isinstance(instance.event_log_storage, KeptEngineSqliteEventLogStorage)
        result = hello_job.execute_in_process(instance=instance)
        assert result.success
        written = instance.all_logs(result.run_id)
        # one engine per database file, kept: the run's and the index
        storage = instance.event_log_storage
        assert set(storage._engines) == {result.run_id, "index"}
        # ... each with its one connection, the same across transactions, synced at checkpoints
        # (one after the other: Dagster's lock lets one transaction in at a time)
        with storage.index_connection() as first:
            kept = first.connection.dbapi_connection
        with storage.index_connection() as second:
            assert second.connection.dbapi_connection is kept
        with storage.run_connection(result.run_id) as conn:
            assert conn.exec_driver_sql("pragma synchronous").scalar() == 1  # NORMAL
            assert conn.exec_driver_sql("pragma journal_mode").scalar() == "wal"

    assert (home / "history" / "runs" / f"{result.run_id}.db").exists()
    with dg.DagsterInstance.from_config(str(home)) as default:
        assert type(default.event_log_storage).__name__ == "SqliteEventLogStorage"
        read = default.all_logs(result.run_id)
        assert [event.message for event in read] == [event.message for event in written]
        assert any(event.user_message == "hello" for event in read)
        assert default.get_run_by_id(result.run_id).status == dg.DagsterRunStatus.SUCCESS


def test_a_dagster_yaml_that_names_a_storage_keeps_it(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "dagster.yaml").write_text(
        f"storage:\n  sqlite:\n    base_dir: {tmp_path / 'elsewhere'}\n", encoding="utf-8"
    )
    with open_instance(home) as instance:
        assert not isinstance(instance.event_log_storage, KeptEngineSqliteEventLogStorage)
