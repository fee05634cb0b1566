"""The key tests on hand-made rows: the keys of ``model_checks`` (a single column as dbt's
``unique``, a list as ``unique_combination_of_columns``; on DuckDB through a hash of the key
first, the ``duplicated_keys`` macro) and ``credits_sum_to_one``, which compute their answer in
one cheap pass (a hash of the key, one sum per model in columns) and must still return exactly
the failing rows of the plain group-by forms.

Real dbt on a real DuckDB file: the tables the tests read are written by hand, then the three
tests run once; every expected row below is worked out from the fixture by hand.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb

from orchestration.warehouse import marts_path
from tests.build_files import open_read_only
from tests.dbt_cli import run_dbt

MODELS = ("first_touch", "last_touch", "last_non_direct_touch", "linear", "position_based")

# (funnel_entity_id, stage_key, attribution_model, touchpoint_id, credit, attribution_credit_id)
CREDITS = [
    # L1 at mql: every model sums to 1
    ("L1", "mql", "first_touch", "t1", "1", "c01"),
    ("L1", "mql", "last_touch", "t2", "1", "c02"),
    ("L1", "mql", "last_non_direct_touch", "t2", "1", "c03"),
    ("L1", "mql", "linear", "t1", "0.5", "c04"),
    ("L1", "mql", "linear", "t2", "0.5", "c05"),
    ("L1", "mql", "position_based", "t1", "0.5", "c06"),
    ("L1", "mql", "position_based", "t2", "0.5", "c07"),
    # L2 at mql: linear sums to 0.9
    ("L2", "mql", "first_touch", "t3", "1", "c08"),
    ("L2", "mql", "last_touch", "t4", "1", "c09"),
    ("L2", "mql", "last_non_direct_touch", "t4", "1", "c10"),
    ("L2", "mql", "linear", "t3", "0.5", "c11"),
    ("L2", "mql", "linear", "t4", "0.4", "c12"),
    ("L2", "mql", "position_based", "t3", "0.5", "c13"),
    ("L2", "mql", "position_based", "t4", "0.5", "c_dup"),
    # L3 at mql: no position_based row
    ("L3", "mql", "first_touch", "t5", "1", "c_dup"),
    ("L3", "mql", "last_touch", "t5", "1", None),
    ("L3", "mql", "last_non_direct_touch", "t5", "1", "c16"),
    ("L3", "mql", "linear", "t5", "1", "c17"),
    # L1 at sql: only a model outside the list, summing to 0.5
    ("L1", "sql", "bogus", "t1", "0.5", "c18"),
]

# (funnel_entity_id, stage_key, touch_position, touchpoint_id); null is a value of the
# combination. Each row has its own touchpoint, so the model's primary key (funnel_entity_type,
# funnel_entity_id, stage_key, touchpoint_id) holds and only the touch_position test fails.
TOUCHES = [
    ("L1", "mql", 1, "t1"),
    ("L1", "mql", 2, "t2"),
    ("L1", "mql", 2, "t3"),
    ("L2", "mql", 1, "t4"),
    (None, "mql", 1, "t5"),
    (None, "mql", 1, "t6"),
]


def write_fixture(warehouse: Path) -> None:
    with duckdb.connect(str(marts_path(warehouse))) as con:  # the marts file, as dbt names it
        con.execute("create schema marts")
        con.execute(
            "create table marts.fct_attribution_credits (attribution_credit_id varchar, "
            "funnel_entity_type varchar, funnel_entity_id varchar, stage_key varchar, "
            "attribution_model varchar, touchpoint_id varchar, credit decimal(38, 12))"
        )
        for entity, stage, model, touch, credit, credit_id in CREDITS:
            con.execute(
                "insert into marts.fct_attribution_credits values (?, 'lead', ?, ?, ?, ?, ?)",
                [credit_id, entity, stage, model, touch, credit],
            )
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema intermediate")
        con.execute(
            "create table intermediate.int_attribution_touches (funnel_entity_type varchar, "
            "funnel_entity_id varchar, stage_key varchar, touch_position integer, "
            "touchpoint_id varchar, channel varchar)"
        )
        con.executemany(
            "insert into intermediate.int_attribution_touches "
            "values ('lead', ?, ?, ?, ?, 'organic_search')",
            TOUCHES,
        )


def test_the_key_tests_return_exactly_the_failing_rows(tmp_path: Path) -> None:
    warehouse = tmp_path / "warehouse.duckdb"
    write_fixture(warehouse)

    tested = run_dbt(
        [
            "test",
            "--select",
            "fct_attribution_credits,test_name:credits_sum_to_one",
            "fct_attribution_credits,test_name:model_checks",
            "int_attribution_touches,test_name:model_checks",
        ],
        warehouse,
        tmp_path,
    )

    assert tested.returncode == 1, tested.stdout
    results = json.loads((tmp_path / "target" / "run_results.json").read_text())["results"]
    by_test = {
        result["unique_id"].split(".")[2].split("_attribution_")[0]
        + ("_touches" if "int_attribution_touches" in result["unique_id"] else ""): result
        for result in results
    }
    assert sorted(by_test) == [
        "credits_sum_to_one_fct",
        "model_checks_fct",
        "model_checks_int_touches",
    ]

    def failing_rows(test: str) -> list[tuple[object, ...]]:
        with open_read_only(warehouse) as con:
            con.execute("use warehouse")
            return sorted(
                con.execute(f"select * from ({by_test[test]['compiled_code']})").fetchall(),
                key=repr,
            )

    # the credits' id, a single-column key: the one id on two rows; the null id is not a value
    # of the key (but fails not_null); the model outside the list fails accepted_values
    assert "hash(" in by_test["model_checks_fct"]["compiled_code"]  # the DuckDB form ran
    assert failing_rows("model_checks_fct") == sorted(
        [
            ("accepted_values", "attribution_model", "bogus", 1),
            ("not_null", "attribution_credit_id", "null", 1),
            ("unique", "attribution_credit_id", "c_dup", 2),
        ],
        key=repr,
    )

    # the touches' keys, lists of columns: (..., touchpoint_id) holds (each row has its own
    # touchpoint); (..., touch_position) has (L1, mql, 2) twice and (null, mql, 1) twice, null
    # being a value of a combination; the two null entity ids fail not_null
    touch_position_key = "funnel_entity_type, funnel_entity_id, stage_key, touch_position"
    assert failing_rows("model_checks_int_touches") == sorted(
        [
            ("not_null", "funnel_entity_id", "null", 2),
            ("unique", touch_position_key, "lead, L1, mql, 2", 2),
            ("unique", touch_position_key, "lead, null, mql, 1", 2),
        ],
        key=repr,
    )

    # credits_sum_to_one: L2's linear sums to 0.9; L3 lacks position_based; L1 at sql has no
    # row under any listed model, and its bogus model sums to 0.5
    credit_rows = [
        (entity, stage, model, None if credit_sum is None else float(credit_sum), problem)
        for _, entity, stage, model, credit_sum, problem in failing_rows("credits_sum_to_one_fct")
    ]
    expected = [
        ("L2", "mql", "linear", 0.9, "credits do not sum to 1"),
        ("L3", "mql", "position_based", None, "no credits under this model"),
        ("L1", "sql", "bogus", 0.5, "credits do not sum to 1"),
        *[("L1", "sql", model, None, "no credits under this model") for model in MODELS],
    ]
    assert sorted(credit_rows, key=repr) == sorted(expected, key=repr)
    assert [by_test[test]["failures"] for test in sorted(by_test)] == [8, 3, 3]
