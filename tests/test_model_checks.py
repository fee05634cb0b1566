"""The ``model_checks`` generic test (data-tests/generic/model_checks.sql): a model's required
columns, keys and accepted values in one test node, whose failure names every failing check.

Real dbt on a real DuckDB file: the ``funnel_stages`` and ``crm_stage_labels`` seeds are loaded,
then broken on known rows, and their ``model_checks`` tests run. Each expected row is derived
from the rows broken here, not from the test's output.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb

from orchestration.settings import PROJECT_DIR
from tests.dbt_cli import run_dbt

SEEDS = ["funnel_stages", "crm_stage_labels"]
SELECT = ["--select", *(f"{seed},test_name:model_checks" for seed in SEEDS)]


def failing_rows(warehouse: Path, result: dict) -> list[tuple]:
    with duckdb.connect(str(warehouse)) as con:
        con.execute("use warehouse")
        return con.execute(
            "select failed_check, columns, failure, row_count "
            f"from ({result['compiled_code']}) order by all"
        ).fetchall()


def test_every_failing_check_is_named_with_its_rows(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    seeded = run_dbt(["seed", "--select", *SEEDS], warehouse, tmp_path)
    assert seeded.returncode == 0, seeded.stdout

    passing = run_dbt(["test", *SELECT], warehouse, tmp_path)
    assert passing.returncode == 0, passing.stdout
    assert "Null values in" not in passing.stdout
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    assert sorted(r["unique_id"].split(".")[2] for r in results) == [
        "model_checks_crm_stage_labels",
        "model_checks_funnel_stages",
    ]

    with (PROJECT_DIR / "seeds" / "funnel_stages.csv").open() as seed:
        stages = list(csv.DictReader(seed))
    ordered = [row["stage_key"] for row in stages if row["stage_order"]]
    first, second, last = ordered[0], ordered[1], stages[-1]["stage_key"]
    with duckdb.connect(str(warehouse)) as con:
        # funnel_stages: two null names, one null is_won, the second stage takes the first's
        # order and key (one duplicated stage_order, one duplicated stage_key), one entity type
        # outside lead | deal
        con.execute(
            "update seeds.funnel_stages set stage_name = null where stage_key in (?, ?)",
            [first, last],
        )
        con.execute("update seeds.funnel_stages set is_won = null where stage_key = ?", [last])
        con.execute(
            "update seeds.funnel_stages set stage_order = 1, stage_key = ? where stage_key = ?",
            [first, second],
        )
        con.execute(
            "update seeds.funnel_stages set entity_type = 'account' where stage_key = ?", [last]
        )
        # crm_stage_labels: a label that differs from an existing one only in case and spaces
        # (its key is lower(trim(...)) of three columns), and the same null label twice (null is
        # a value of a combination, as unique_combination_of_columns)
        existing = con.execute(
            "select source_system, entity_type, label, stage_key from seeds.crm_stage_labels "
            "order by all limit 1"
        ).fetchone()
        assert existing is not None
        system, entity, label, stage = existing
        con.execute(
            "insert into seeds.crm_stage_labels values (?, ?, ?, ?), "
            "('pipedrive', 'deal', null, 'won'), ('pipedrive', 'deal', null, 'won')",
            [f" {system.upper()} ", entity, f"{label.lower()}  ", stage],
        )

    failing = run_dbt(["test", *SELECT], warehouse, tmp_path)

    assert failing.returncode == 1
    assert "Null values in funnel_stages.stage_name: 2 rows" in failing.stdout
    assert "Null values in funnel_stages.is_won: 1 rows" in failing.stdout
    assert "Null values in funnel_stages.stage_key" not in failing.stdout
    assert "Null values in crm_stage_labels.label: 2 rows" in failing.stdout
    results = {
        r["unique_id"].split(".")[2]: r
        for r in json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    }
    stages_result = results["model_checks_funnel_stages"]
    assert (stages_result["status"], stages_result["failures"]) == ("fail", 5)
    assert failing_rows(warehouse, stages_result) == sorted(
        [
            ("accepted_values", "entity_type", "account", 1),
            ("not_null", "is_won", "null", 1),
            ("not_null", "stage_name", "null", 2),
            ("unique", "stage_key", first, 2),
            ("unique", "stage_order", "1", 2),
        ]
    )
    labels_result = results["model_checks_crm_stage_labels"]
    assert (labels_result["status"], labels_result["failures"]) == ("fail", 3)
    key = "lower(trim(source_system)), lower(trim(entity_type)), lower(trim(label))"
    assert failing_rows(warehouse, labels_result) == sorted(
        [
            ("not_null", "label", "null", 2),
            ("unique", key, f"{system.lower()}, {entity.lower()}, {label.lower().strip()}", 2),
            ("unique", key, "pipedrive, deal, null", 2),
        ]
    )
