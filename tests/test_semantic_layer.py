"""The semantic layer (MetricFlow, models/semantic/): its configs validate, and for the same
slice its metrics equal the marts' figures, each computed from a different mart or grain
than the semantic model reads (so the re-aggregation, filters and formulas are checked)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from orchestration.semantic.metricflow import SEMANTIC_MANIFEST, query, run_mf
from tests.build_files import open_read_only
from tests.conftest import SampleBuild

# every metric of shared docs/metrics.md has at least one MetricFlow metric
METRICS_MD_COVERAGE = {
    "stage conversion": "conversion_lead_to_mql",
    "cumulative conversion": "cumulative_conversion_to_sql",
    "drop-off": "drop_off",
    "time in stage": "time_in_stage_median_days",
    "stalled": "stalled_entities",
    "sales-cycle length": "sales_cycle_days",
    "average deal size": "average_deal_size",
    "win rate": "win_rate",
    "win rate by amount": "win_rate_by_amount",
    "slippage": "slippage_rate",
    "pipeline coverage": "pipeline_coverage",
    "weighted coverage": "weighted_pipeline_coverage",
    "CPL": "cpl",
    "cost per stage": "cost_per_opportunity",
    "CAC": "cac",
    "ROI": "roi",
    "incremental ROMI": "incremental_romi",
    "attributed revenue": "attributed_revenue",
    "MRR": "mrr",
    "net new MRR": "net_new_mrr",
    "churn": "customer_churn_rate",
    "revenue churn": "revenue_churn_rate",
    "lead score": "lead_score_won_conversion",
}


def _serving_file(sample_build: SampleBuild) -> Path:
    return sample_build.warehouse.parent.parent / "serving" / "funnel.duckdb"


def _key(value: Any) -> str:
    """A slice key as text: a day as YYYY-MM-DD (mf prints midnight timestamps), null as ''."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = str(value)
    return text[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]00:00:00", text) else text


def _mart(serving_file: Path, sql: str) -> dict[tuple[str, ...], float | None]:
    with open_read_only(serving_file) as con:
        rows = con.execute(sql).fetchall()
    return {
        tuple(_key(value) for value in row[:-1]): None if row[-1] is None else float(row[-1])
        for row in rows
    }


def _mf(
    serving_file: Path, metric: str, group_by: list[str]
) -> dict[tuple[str, ...], float | None]:
    found: dict[tuple[str, ...], float | None] = {}
    for row in query(serving_file, [metric], group_by):
        key = tuple(_key(row[column]) for column in group_by)
        found[key] = float(row[metric]) if row[metric] not in ("", None) else None
    return found


def _assert_equal(semantic: dict, mart: dict) -> None:
    assert mart, "the mart slice is empty"
    assert set(semantic) == set(mart)
    for key, expected in mart.items():
        if expected is None:
            assert semantic[key] is None, key
        else:
            assert semantic[key] == pytest.approx(expected, rel=1e-9, abs=1e-9), key


def test_mf_validate_configs(dbt_manifest: Path, sample_build: SampleBuild):
    output = run_mf(["validate-configs"], _serving_file(sample_build), capture=True)
    assert "ERRORS: 0" in output and "FUTURE_ERRORS: 0" in output, output


def test_every_metric_of_metrics_md_is_defined(dbt_manifest: Path):
    names = {metric["name"] for metric in json.loads(SEMANTIC_MANIFEST.read_text())["metrics"]}
    missing = {topic: name for topic, name in METRICS_MD_COVERAGE.items() if name not in names}
    assert missing == {}


def test_conversion_to_won_equals_the_cohort_mart(sample_build: SampleBuild):
    serving_file = _serving_file(sample_build)
    mart = _mart(
        serving_file,
        "select cohort_start_date, channel, sum(reached_count) / sum(first_stage_reached_count) "
        "from marts.funnel_conversion_by_cohort "
        "where cohort_grain = 'month' and stage_order = (select max(stage_order) "
        "from marts.funnel_conversion_by_cohort) "
        "group by 1, 2 having sum(first_stage_reached_count) > 0",
    )
    semantic = _mf(
        serving_file, "conversion_to_won", ["metric_time__month", "funnel_entity__channel"]
    )
    semantic = {key: value for key, value in semantic.items() if value is not None}
    _assert_equal(semantic, mart)


def test_cac_equals_the_marketing_mart(sample_build: SampleBuild):
    serving_file = _serving_file(sample_build)
    # at the mart's own grain, the mart's column
    mart = _mart(
        serving_file,
        "select report_month, channel, utm_source, utm_medium, utm_campaign, cac_marketing_only "
        "from marts.marketing_efficiency_by_month",
    )
    semantic = _mf(
        serving_file,
        "cac",
        [
            "metric_time__month",
            "marketing__channel",
            "marketing__source",
            "marketing__medium",
            "marketing__campaign",
        ],
    )
    _assert_equal(semantic, mart)


def test_win_rate_by_quarter_equals_the_quarter_rows(sample_build: SampleBuild):
    serving_file = _serving_file(sample_build)
    # the semantic layer adds up month rows; the mart computes quarters on its own
    mart = _mart(
        serving_file,
        "select period_start_date, owner_name, "
        "sum(won_deal_count) / sum(won_deal_count + lost_deal_count) "
        "from marts.win_rate_by_period where period_grain = 'quarter' group by 1, 2",
    )
    semantic = _mf(serving_file, "win_rate", ["metric_time__quarter", "deal_close__owner"])
    _assert_equal(semantic, mart)


def test_sales_cycle_by_quarter_equals_the_quarter_rows(sample_build: SampleBuild):
    serving_file = _serving_file(sample_build)
    mart = _mart(
        serving_file,
        "select period_start_date, channel, sum(total_sales_cycle_days) / sum(won_deal_count) "
        "from marts.sales_cycle_by_period where period_grain = 'quarter' group by 1, 2",
    )
    semantic = _mf(serving_file, "sales_cycle_days", ["metric_time__quarter", "won_deal__channel"])
    _assert_equal(semantic, mart)


def test_net_new_mrr_and_churn_equal_the_movements_mart(sample_build: SampleBuild):
    serving_file = _serving_file(sample_build)
    # net new MRR: the semantic layer sums fct_mrr's customer movements
    mart = _mart(serving_file, "select mrr_month, net_new_mrr from marts.mrr_movements_by_month")
    _assert_equal(_mf(serving_file, "net_new_mrr", ["metric_time__month"]), mart)
    churn = _mart(
        serving_file, "select mrr_month, customer_churn_rate from marts.mrr_movements_by_month"
    )
    _assert_equal(_mf(serving_file, "customer_churn_rate", ["metric_time__month"]), churn)


def test_the_time_spine_covers_every_time_dimension(sample_build: SampleBuild):
    serving_file = _serving_file(sample_build)
    manifest = json.loads(SEMANTIC_MANIFEST.read_text())
    with open_read_only(serving_file) as con:
        spine = con.execute(
            "select min(date_day), max(date_day) from marts.metricflow_time_spine"
        ).fetchone()
        assert spine is not None
        checked = 0
        for model in manifest["semantic_models"]:
            relation = f"marts.{model['node_relation']['alias']}"
            for dimension in model["dimensions"]:
                if dimension["type"] != "time":
                    continue
                expression = dimension.get("expr") or dimension["name"]
                low, high = con.execute(
                    f"select cast(min({expression}) as date), cast(max({expression}) as date) "
                    f"from {relation}"
                ).fetchone() or (None, None)
                assert low is not None, f"{relation}.{expression} is empty"
                assert spine[0] <= low and high <= spine[1], (relation, expression, low, high)
                checked += 1
    assert checked >= 10
