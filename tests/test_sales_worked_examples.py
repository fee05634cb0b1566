"""The worked examples of the source articles, end to end: a tiny hand-written landing folder
(CRM extracts as the landing contract describes them) is ingested, the sales marts and
everything upstream of them are built with dbt, and the marts must give the numbers worked out
by hand from the articles. (The same formulas are unit-tested on the marts' own inputs in
models/marts/sales/<model>.yml.)

- Article 002 (Polish): 10 leads -> 7 meetings (opportunity) -> 3 proposals -> 1 customer:
  7 / 10 = 70 % of the leads reach a meeting, 3 / 7 = 42.9 % of the meetings a proposal,
  1 / 3 = 33.3 % of the proposals are won, 1 / 10 = 10 % overall.
- Article 000 (Russian):
  - average sales-cycle length = total days to close all deals / number of deals: three deals
    won in June 2025 after 30, 45 and 60 days: 135 / 3 = 45 days;
  - average deal size = total revenue / number of sales: (10,000 + 20,000 + 60,000) / 3 =
    30,000 EUR;
  - deal slippage rate = deals not closed / deals that should have closed x 100: of the five
    deals expected (as of 1 July) to close in July, one is won and one lost by 31 July:
    3 / 5 x 100 = 60 %;
  - pipeline coverage = potential sales in the pipeline / sales quota: Anna's July pipeline as
    of 1 July is 50,000 + 40,000 + 60,000 (opportunity) + 30,000 + 70,000 (proposal) = 250,000
    EUR against a quota of 100,000: 2.5; weighted by the stage win probabilities of
    seeds/funnel_stages.csv (0.2 and 0.5): 150,000 x 0.2 + 100,000 x 0.5 = 80,000: 0.8.
- metrics.md win rate = won / (won + lost), deals closed in the period: three won and one lost
  in June: 3 / 4 = 0.75 by count, 90,000 / (90,000 + 10,000) = 0.9 by amount.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.build_files import open_read_only
from tests.conftest import SampleBuild, write_landed

TOLERANCE = 1e-9

LEAD_COLUMNS = ["lead_id", "created_at", "updated_at", "email", "company_domain", "source"]
LEAD_COLUMNS += ["medium", "campaign", "owner_id", "source_system"]
DEAL_COLUMNS = ["deal_id", "lead_id", "account_id", "owner_id", "stage", "amount", "currency"]
DEAL_COLUMNS += ["expected_close_date", "created_at", "updated_at", "is_deleted", "source_system"]
# hubspot labels of seeds/crm_stage_labels.csv
LABEL = {
    "lead": "New",
    "mql": "MQL",
    "sql": "SQL",
    "opportunity": "appointmentscheduled",
    "proposal": "contractsent",
    "won": "closedwon",
    "lost": "closedlost",
}


def ts(day: str, hour: int = 10) -> str:
    return f"{day}T{hour:02d}:00:00Z"


def to_csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


class DealHistory:
    """Collects a deal's stage changes and versions (one version per change)."""

    def __init__(self) -> None:
        self.changes: list[list[object]] = []
        self.versions: list[list[object]] = []

    def deal(
        self,
        deal_id: str,
        lead_id: str,
        owner_id: str,
        amount: int,
        created: str,
        steps: list[tuple[str, str, str]],
    ) -> None:
        """steps: (timestamp, stage, expected close date) from the creation on; a step in the
        same stage only edits the deal (a new version, no stage change)."""
        previous = None
        for at, stage, expected in steps:
            if stage != previous:
                self.changes.append([deal_id, LABEL[stage], at, "hubspot"])
            previous = stage
            self.versions.append(
                [deal_id, lead_id, f"A-{deal_id}", owner_id, LABEL[stage], f"{amount}.00", "EUR",
                 expected, created, at, "false", "hubspot"]
            )  # fmt: skip


def write_worked_examples(landing: Path) -> None:
    write_landed(
        landing,
        "crm/owners",
        "owners.csv",
        to_csv(["owner_id", "name", "team"], [["O1", "Anna", "SMB"], ["O2", "Boris", "SMB"]]),
    )
    write_landed(
        landing,
        "crm/quotas",
        "quotas.csv",
        to_csv(
            ["owner_id", "period_start", "period_end", "amount", "currency"],
            [
                ["O1", "2025-07-01", "2025-07-31", "100000.00", "EUR"],
                ["O2", "2025-07-01", "2025-07-31", "50000.00", "EUR"],
            ],
        ),
    )
    days = [date(2025, 1, 1) + timedelta(days=i) for i in range(365)]
    write_landed(
        landing,
        "finance/fx_rates",
        "fx_rates.csv",
        to_csv(["date", "currency", "rate_to_reporting"], [[d, "EUR", "1.0"] for d in days]),
    )

    # article 002: ten leads in the week of Monday 3 March 2025, all from one campaign
    leads, statuses = [], []
    for n in range(1, 11):
        lead_id = f"L{n:02d}"
        created = ts(f"2025-03-{3 + (n - 1) // 2:02d}", 9)
        leads.append(
            [lead_id, created, created, f"buyer{n}@example{n}.com", f"example{n}.com", "google",
             "cpc", "spring", "O1", "hubspot"]
        )  # fmt: skip
        statuses.append([lead_id, LABEL["lead"], created, "hubspot"])
        if n <= 8:
            statuses.append([lead_id, LABEL["mql"], ts("2025-03-08"), "hubspot"])
        if n <= 7:
            statuses.append([lead_id, LABEL["sql"], ts("2025-03-09"), "hubspot"])
    write_landed(landing, "crm/leads", "leads.csv", to_csv(LEAD_COLUMNS, leads))
    write_landed(
        landing,
        "crm/lead_status_changes",
        "lead_status_changes.csv",
        to_csv(["lead_id", "status", "changed_at", "source_system"], statuses),
    )

    history = DealHistory()
    # seven meetings (deals at opportunity), three proposals, one customer
    for n in range(1, 8):
        created = ts("2025-03-10")
        steps = [(created, "opportunity", "2025-04-30")]
        if n <= 3:
            steps.append((ts("2025-03-20"), "proposal", "2025-04-30"))
        if n == 1:
            steps.append((ts("2025-04-10"), "won", "2025-04-10"))
        else:
            steps.append((ts("2025-04-15"), "lost", "2025-04-15"))
        history.deal(f"D{n:02d}", f"L{n:02d}", "O1", 5000, created, steps)

    # article 000, sales cycle and deal size: Boris's sales-sourced deals won in June after
    # 30, 45 and 60 days; one lost in June for the win rate
    for deal_id, created, won, amount in (
        ("S1", "2025-05-06", "2025-06-05", 10000),
        ("S2", "2025-05-04", "2025-06-18", 20000),
        ("S3", "2025-05-01", "2025-06-30", 60000),
    ):
        history.deal(
            deal_id, "", "O2", amount, ts(created),
            [(ts(created), "opportunity", won), (ts(won), "won", won)],
        )  # fmt: skip
    history.deal(
        "S4", "", "O2", 10000, ts("2025-05-01"),
        [(ts("2025-05-01"), "opportunity", "2025-06-20"), (ts("2025-06-20"), "lost", "2025-06-20")],
    )  # fmt: skip

    # article 000, slippage and coverage: Anna's pipeline expected to close in July
    created = ts("2025-06-02")
    history.deal(
        "P1", "", "O1", 50000, created,
        [(created, "opportunity", "2025-07-15"), (ts("2025-07-15"), "won", "2025-07-15")],
    )  # fmt: skip
    history.deal(
        "P2", "", "O1", 40000, created,
        [(created, "opportunity", "2025-07-20"), (ts("2025-07-20"), "lost", "2025-07-20")],
    )  # fmt: skip
    history.deal(
        "P3", "", "O1", 60000, created,
        [(created, "opportunity", "2025-07-25"), (ts("2025-07-25"), "opportunity", "2025-08-29")],
    )  # fmt: skip
    history.deal("P4", "", "O1", 30000, created, [(created, "proposal", "2025-07-28")])
    history.deal("P5", "", "O1", 70000, created, [(created, "proposal", "2025-07-30")])

    write_landed(landing, "crm/deals", "deals.csv", to_csv(DEAL_COLUMNS, history.versions))
    write_landed(
        landing,
        "crm/deal_stage_changes",
        "deal_stage_changes.csv",
        to_csv(["deal_id", "stage", "changed_at", "source_system"], history.changes),
    )


def build_sales_marts(landing: Path, warehouse: Path, scratch: Path) -> subprocess.CompletedProcess:
    """Ingest every landed entity, then dbt-build the sales marts and everything upstream of
    them (models, seeds, data and unit tests), with dbt's target and logs in scratch. Only
    that part of the project, to keep the test quick."""
    from orchestration.dbt_project import dbt_executable
    from orchestration.ingestion.ingest import ingest_entity
    from orchestration.landing_contract import ENTITIES
    from orchestration.settings import PROJECT_DIR

    warehouse.parent.mkdir(parents=True, exist_ok=True)
    for entity in ENTITIES:
        ingest_entity(warehouse, landing, entity)
    env = {**os.environ, "FUNNEL_WAREHOUSE": str(warehouse)}
    args = [dbt_executable(), "build", "--select", "+path:models/marts/sales"]
    args += ["--indirect-selection", "cautious", "--project-dir", str(PROJECT_DIR)]
    args += ["--profiles-dir", str(PROJECT_DIR), "--target-path", str(scratch / "target")]
    args += ["--log-path", str(scratch / "logs")]
    return subprocess.run(args, env=env, cwd=PROJECT_DIR, capture_output=True, text=True)


@pytest.fixture(scope="module")
def worked_examples(tmp_path_factory: pytest.TempPathFactory) -> SampleBuild:
    root = tmp_path_factory.mktemp("sales_worked_examples")
    landing = root / "landing"
    warehouse = root / "warehouse" / "funnel.duckdb"
    write_worked_examples(landing)
    result = build_sales_marts(landing, warehouse, root)
    return SampleBuild(landing, warehouse, result)


def one_row(build: SampleBuild, sql: str) -> dict:

    with open_read_only(build.warehouse) as con:
        cursor = con.execute(sql)
        rows = cursor.fetchall()
        names = [d[0] for d in cursor.description]
    assert len(rows) == 1, f"{len(rows)} rows for: {sql}"
    return dict(zip(names, rows[0], strict=True))


def test_every_dbt_step_succeeded(worked_examples: SampleBuild) -> None:
    """Models, data tests and unit tests upstream of and in the sales marts all pass."""
    result = worked_examples.result
    assert result.returncode == 0, result.stdout[-4000:]


@pytest.mark.parametrize("grain, start", [("week", "2025-03-03"), ("month", "2025-03-01")])
def test_conversion_worked_example_of_article_002(worked_examples, grain, start) -> None:
    def stage(key: str) -> dict:
        return one_row(
            worked_examples,
            f"""select * from marts.funnel_conversion_by_cohort
            where funnel_entity_type = 'lead' and cohort_grain = '{grain}'
                and cohort_start_date = date '{start}' and stage_key = '{key}'""",
        )

    lead, opportunity, proposal, won = (
        stage(k) for k in ("lead", "opportunity", "proposal", "won")
    )
    assert (lead["reached_count"], opportunity["reached_count"]) == (10, 7)
    assert (proposal["reached_count"], won["reached_count"]) == (3, 1)
    assert abs(opportunity["cumulative_conversion_rate"] - 0.7) < TOLERANCE  # 70 %
    assert abs(opportunity["step_conversion_rate"] - 3 / 7) < TOLERANCE  # 42.9 %
    assert abs(proposal["step_conversion_rate"] - 1 / 3) < TOLERANCE  # 33.3 %
    assert abs(won["cumulative_conversion_rate"] - 0.1) < TOLERANCE  # 10 % overall


def test_sales_cycle_and_deal_size_worked_example_of_article_000(worked_examples) -> None:
    june = one_row(
        worked_examples,
        """select * from marts.sales_cycle_by_period
        where period_grain = 'month' and period_start_date = date '2025-06-01'""",
    )
    assert june["won_deal_count"] == 3
    assert abs(june["average_sales_cycle_days"] - (30 + 45 + 60) / 3) < TOLERANCE  # 45 days
    assert abs(june["average_deal_size_reporting"] - (10_000 + 20_000 + 60_000) / 3) < TOLERANCE


def test_win_rate_worked_example(worked_examples) -> None:
    june = one_row(
        worked_examples,
        """select * from marts.win_rate_by_period
        where period_grain = 'month' and period_start_date = date '2025-06-01'""",
    )
    assert (june["won_deal_count"], june["lost_deal_count"]) == (3, 1)
    assert abs(june["win_rate_by_count"] - 3 / 4) < TOLERANCE
    assert abs(june["win_rate_by_amount"] - 90_000 / 100_000) < TOLERANCE


def test_slippage_worked_example_of_article_000(worked_examples) -> None:
    july = one_row(
        worked_examples,
        """select * from marts.deal_slippage_by_period
        where period_grain = 'month' and period_start_date = date '2025-07-01'""",
    )
    assert july["owner_id"] == "O1"
    assert (july["expected_deal_count"], july["won_by_end_count"], july["lost_by_end_count"]) == (
        5,
        1,
        1,
    )
    assert july["slipped_deal_count"] == 3
    assert abs(july["slippage_rate"] - 3 / 5 * 100) < TOLERANCE  # 60 %


def test_pipeline_coverage_worked_example_of_article_000(worked_examples) -> None:
    anna = one_row(
        worked_examples,
        """select * from marts.pipeline_coverage_by_period
        where coverage_level = 'owner' and owner_id = 'O1'
            and period_start_date = date '2025-07-01'""",
    )
    assert anna["open_deal_count"] == 5
    assert abs(anna["pipeline_coverage"] - 250_000 / 100_000) < TOLERANCE  # 2.5
    assert abs(anna["weighted_pipeline_coverage"] - 80_000 / 100_000) < TOLERANCE  # 0.8
    team = one_row(
        worked_examples,
        """select * from marts.pipeline_coverage_by_period
        where coverage_level = 'team' and owner_team = 'SMB'
            and period_start_date = date '2025-07-01'""",
    )
    assert abs(team["pipeline_coverage"] - 250_000 / 150_000) < TOLERANCE
    assert abs(team["weighted_pipeline_coverage"] - 80_000 / 150_000) < TOLERANCE


def test_daily_snapshot_on_the_first_of_july(worked_examples) -> None:
    rows = {
        row[0]: row[1:]
        for row in worked_examples.query(
            """select
                stage_key, open_deal_count, open_amount_reporting, weighted_open_amount_reporting
            from marts.pipeline_daily_snapshot where snapshot_date = date '2025-07-01'"""
        )
    }
    assert rows["opportunity"] == (3, 150_000, 30_000)
    assert rows["proposal"] == (2, 100_000, 50_000)
