"""The project's `table` and `view` materializations on DuckDB (macros/materializations/): one
``create or replace table|view ... as`` in the model's transaction, instead of a build under a
temporary name, two renames and the drop of a backup.

The table built here is ``metricflow_time_spine`` (one row per day between two vars, no input),
so the test needs no landed data; its expected row count is the calendar's, counted in Python.
The view is ``int_conformed__owners`` over a hand-made ``stg_crm__owners`` of two rows.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml

from orchestration.settings import PROJECT_DIR
from orchestration.warehouse import MARTS_DATABASE, marts_path
from tests.build_files import open_read_only
from tests.dbt_cli import run_dbt

MODEL = "metricflow_time_spine"


def _expected_days() -> int:
    project_vars = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"]
    start = date.fromisoformat(project_vars["time_spine_start_date"])
    end = date.fromisoformat(project_vars["time_spine_end_date"])
    return (end - start).days + 1


def _relations(warehouse: Path, schema: str) -> list[tuple[str, str, int]]:
    """(name, type, rows) of every relation in ``schema``."""
    with open_read_only(warehouse) as con:
        relations = con.execute(
            "select table_name, table_type from information_schema.tables "
            "where table_schema = ? order by table_name",
            [schema],
        ).fetchall()
        found = []
        for name, kind in relations:
            row = con.execute(f'select count(*) from {schema}."{name}"').fetchone()
            assert row is not None
            found.append((name, kind, int(row[0])))
        return found


def _build_twice(
    model: str, warehouse: Path, workdir: Path, schema: str, expected: tuple[str, str, int]
) -> None:
    """``dbt run`` of ``model`` over the relation an older version left, then over its own
    result: each time ``schema`` holds exactly ``expected`` (name, type, rows), nothing
    temporary or backed up; dbt's debug log shows one ``create or replace`` and no rename."""
    for build in ("over the older relation", "over its own result"):
        result = run_dbt(
            ["run", "--select", model, "--target", "duckdb", "--log-level-file", "debug"],
            warehouse,
            workdir,
        )
        assert result.returncode == 0, f"{build}: {result.stdout[-3000:]}"
        assert _relations(warehouse, schema) == [expected], build
    log = (workdir / "logs" / "dbt.log").read_text(encoding="utf-8")
    kind = "table" if expected[1] == "BASE TABLE" else "view"
    database = MARTS_DATABASE if schema == "marts" else "funnel"
    assert f'create or replace {kind} "{database}"."{schema}"."{model}"' in log
    assert "__dbt_backup" not in log and "__dbt_tmp" not in log


def test_a_table_model_replaces_a_view_and_then_itself_in_one_statement(tmp_path: Path) -> None:
    warehouse = tmp_path / "funnel.duckdb"
    with duckdb.connect(str(marts_path(warehouse))) as con:
        # the model as an older version of the project left it: a view of the same name, in the
        # marts file (dbt builds the marts there: README "Publishing")
        con.execute("create schema marts")
        con.execute(f"create view marts.{MODEL} as select 1 as date_day")

    # a table with every day of the spine
    _build_twice(MODEL, warehouse, tmp_path, "marts", (MODEL, "BASE TABLE", _expected_days()))


def test_a_view_model_replaces_a_table_and_then_itself_in_one_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    view = "int_conformed__owners"
    warehouse = tmp_path / "funnel.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema staging")
        con.execute(
            "create table staging.stg_crm__owners as select * from (values "
            "('o1', 'Ada', 'east'), ('o2', 'Bo', 'west')) as t (owner_id, owner_name, team)"
        )
        # the model as an older version of the project left it: a table of the same name
        con.execute("create schema intermediate")
        con.execute(f"create table intermediate.{view} as select 1 as owner_id")
    # the canonical contract alone: the native systems' staging models are not in the parse
    monkeypatch.setenv(
        "FUNNEL_IDLE_NATIVE_SYSTEMS", "salesforce,hubspot,stripe,google_ads,meta_ads,linkedin_ads"
    )
    _build_twice(view, warehouse, tmp_path, "intermediate", (view, "VIEW", 2))
