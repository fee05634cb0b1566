"""Read the report's data from the serving file: small pre-aggregated tables, one per chart.

Every table keeps the columns the report filters on (month, channel, owner) wherever the mart
has them, so the page can filter and re-aggregate in the browser. Ratios are never stored:
the page divides summed counts and amounts, the way the marts define each metric.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb


@dataclass(frozen=True)
class Dataset:
    """One table of the payload: column names and rows (JSON-ready values)."""

    columns: list[str]
    rows: list[list[Any]]


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _dataset(con: duckdb.DuckDBPyConnection, sql: str) -> Dataset:
    cursor = con.execute(sql)
    columns = [column[0] for column in cursor.description or []]
    rows = [[_json_value(value) for value in row] for row in cursor.fetchall()]
    return Dataset(columns, rows)


def funnel_stages(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The ordered funnel stage keys, as the conversion mart carries them (from the seed)."""
    rows = con.execute(
        "select distinct stage_key, stage_order from marts.funnel_conversion_by_cohort "
        "order by stage_order"
    ).fetchall()
    return [str(row[0]) for row in rows]


def _month(column: str) -> str:
    return f"strftime(date_trunc('month', {column}), '%Y-%m')"


def _funnel_sql(stages: list[str]) -> str:
    reached = ",\n".join(f"count(reached_{stage}_at) as reached_{stage}" for stage in stages)
    return f"""
        select {_month("cohort_date")} as month, coalesce(channel, '(none)') as channel,
            coalesce(owner_name, '(none)') as owner, count(*) as entities,
            {reached}
        from marts.fct_funnel
        group by all order by all
    """


QUERIES: dict[str, str] = {
    "drop_off": f"""
        select {_month("cohort_date")} as month, coalesce(channel, '(none)') as channel,
            coalesce(owner_name, '(none)') as owner, furthest_stage_key as stage,
            furthest_stage_order as stage_order,
            sum(case when is_lost then 1 else 0 end) as lost,
            sum(case when is_stalled then 1 else 0 end) as stalled
        from marts.fct_funnel
        group by all order by all
    """,
    "stage_durations": """
        select stage_key as stage, stage_order, entity_type, completed_spell_count,
            completed_mean_days, completed_median_days, completed_p90_days, open_spell_count,
            open_median_age_days
        from marts.stage_durations
        order by stage_order, entity_type
    """,
    "deal_closes": f"""
        select {_month("period_start_date")} as month, coalesce(channel, '(none)') as channel,
            coalesce(owner_name, '(none)') as owner, won_deal_count as won,
            lost_deal_count as lost, won_amount_reporting as won_amount,
            lost_amount_reporting as lost_amount
        from marts.win_rate_by_period
        where period_grain = 'month'
        order by all
    """,
    "won_deals": f"""
        select {_month("period_start_date")} as month, coalesce(channel, '(none)') as channel,
            coalesce(owner_name, '(none)') as owner, won_deal_count as won,
            total_sales_cycle_days as cycle_days, won_amount_reporting as won_amount
        from marts.sales_cycle_by_period
        where period_grain = 'month'
        order by all
    """,
    "coverage": f"""
        select {_month("period_start_date")} as month, period_start_date, period_end_date,
            coalesce(owner_name, '(none)') as owner, quota_amount_reporting as quota,
            open_pipeline_amount_reporting as pipeline,
            weighted_pipeline_amount_reporting as weighted
        from marts.pipeline_coverage_by_period
        where coverage_level = 'owner'
        order by all
    """,
    "attribution": f"""
        select {_month("milestone_month")} as month, coalesce(channel, '(none)') as channel,
            attribution_model as model, sum(attributed_won_revenue) as revenue
        from marts.attributed_revenue_by_stage
        where stage_order = (select max(stage_order) from marts.attributed_revenue_by_stage)
        group by all order by all
    """,
    "marketing": f"""
        select {_month("report_month")} as month, coalesce(channel, '(none)') as channel,
            sum(spend_amount_reporting) as spend, sum(lead_count) as leads,
            sum(new_paying_customer_count) as new_customers,
            sum(attributed_won_revenue) as revenue
        from marts.marketing_efficiency_by_month
        group by all order by all
    """,
    "mrr": f"""
        select {_month("mrr_month")} as month, starting_mrr, new_mrr, expansion_mrr,
            reactivation_mrr, contraction_mrr, churned_mrr, ending_mrr, customers_at_start,
            churned_customers, net_new_mrr
        from marts.mrr_movements_by_month
        order by all
    """,
}


def read_report_data(serving_file: Path) -> dict[str, Any]:
    """The whole payload of the report page, read from ``serving_file`` (read-only)."""
    with duckdb.connect(str(serving_file), read_only=True) as con:
        stages = funnel_stages(con)
        datasets = {"funnel": _dataset(con, _funnel_sql(stages))}
        datasets.update({name: _dataset(con, sql) for name, sql in QUERIES.items()})
        version_row = con.execute("select version from meta.publication").fetchone()
        # the ROI attribution model: the one marketing_efficiency_by_month was built with
        model_row = con.execute(
            "select min(attribution_model) from marts.marketing_efficiency_by_month"
        ).fetchone()
    return {
        "version": str(version_row[0]) if version_row else "",
        "stages": stages,
        "roi_attribution_model": str(model_row[0]) if model_row and model_row[0] else "",
        "datasets": {
            name: {"columns": data.columns, "rows": data.rows} for name, data in datasets.items()
        },
    }
