"""The ``not_null_columns`` generic test (data-tests/generic/not_null_columns.sql): one node per
model over its required columns, whose failure still names each column with nulls and returns
the failing rows.

Real dbt on a real DuckDB file: the ``funnel_stages`` seed is loaded, two of its required columns
are nulled on known rows, and the model's ``not_null_columns`` test is run.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb

from orchestration.settings import PROJECT_DIR
from tests.dbt_cli import run_dbt

SELECT = ["--select", "funnel_stages,test_name:not_null_columns"]


def test_the_failure_names_each_column_with_nulls_and_returns_the_rows(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    seeded = run_dbt(["seed", "--select", "funnel_stages"], warehouse, tmp_path)
    assert seeded.returncode == 0, seeded.stdout

    passing = run_dbt(["test", *SELECT], warehouse, tmp_path)
    assert passing.returncode == 0, passing.stdout
    assert "Null values in" not in passing.stdout

    with (PROJECT_DIR / "seeds" / "funnel_stages.csv").open() as seed:
        stage_keys = [row["stage_key"] for row in csv.DictReader(seed)]
    first, last = stage_keys[0], stage_keys[-1]
    with duckdb.connect(str(warehouse)) as con:
        con.execute(
            "update seeds.funnel_stages set stage_name = null where stage_key in (?, ?)",
            [first, last],
        )
        con.execute("update seeds.funnel_stages set is_won = null where stage_key = ?", [last])

    failing = run_dbt(["test", *SELECT], warehouse, tmp_path)

    assert failing.returncode == 1
    assert "Null values in funnel_stages.stage_name: 2 rows" in failing.stdout
    assert "Null values in funnel_stages.is_won: 1 rows" in failing.stdout
    assert "Null values in funnel_stages.stage_key" not in failing.stdout
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    [result] = results
    assert (result["status"], result["failures"]) == ("fail", 2)
    # the test's rows: which columns are null, then the row itself
    with duckdb.connect(str(warehouse)) as con:
        con.execute("use warehouse")
        rows = con.execute(
            f"select stage_key, null_columns from ({result['compiled_code']}) order by stage_key"
        ).fetchall()
    assert rows == sorted([(first, "stage_name"), (last, "stage_name, is_won")])
