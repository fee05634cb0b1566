"""The project's `table` materialization on DuckDB (macros/materializations/table.sql): one
``create or replace table ... as`` in the model's transaction, instead of dbt-duckdb's build
under a temporary name, two renames and the drop of a backup.

The model built here is ``metricflow_time_spine`` (one row per day between two vars, no input),
so the test needs no landed data; its expected row count is the calendar's, counted in Python.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import yaml

from orchestration.settings import PROJECT_DIR
from tests.dbt_cli import run_dbt

MODEL = "metricflow_time_spine"


def _expected_days() -> int:
    project_vars = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    start = date.fromisoformat(project_vars["time_spine_start_date"])
    end = date.fromisoformat(project_vars["time_spine_end_date"])
    return (end - start).days + 1


def _relations(warehouse: Path) -> list[tuple[str, str, int | None]]:
    """(name, type, rows) of every relation in the marts schema."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        relations = con.execute(
            "select table_name, table_type from information_schema.tables "
            "where table_schema = 'marts' order by table_name"
        ).fetchall()
        return [
            (
                name,
                kind,
                con.execute(f'select count(*) from marts."{name}"').fetchone()[0]  # type: ignore[index]
                if kind == "BASE TABLE"
                else None,
            )
            for name, kind in relations
        ]


def test_a_table_model_replaces_a_view_and_then_itself_in_one_statement(tmp_path: Path) -> None:
    warehouse = tmp_path / "funnel.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        # the model as an older version of the project left it: a view of the same name
        con.execute("create schema marts")
        con.execute(f"create view marts.{MODEL} as select 1 as date_day")

    days = _expected_days()
    for build in ("over the view", "over the table"):
        result = run_dbt(
            ["run", "--select", MODEL, "--target", "duckdb", "--log-level-file", "debug"],
            warehouse,
            tmp_path,
        )
        assert result.returncode == 0, f"{build}: {result.stdout[-3000:]}"
        # a table with every day of the spine, and no temporary or backup relation left
        assert _relations(warehouse) == [(MODEL, "BASE TABLE", days)], build

    log = (tmp_path / "logs" / "dbt.log").read_text(encoding="utf-8")
    assert f'create or replace table "funnel"."marts"."{MODEL}"' in log
    assert "__dbt_backup" not in log and "__dbt_tmp" not in log
