"""Stripe MRR and revenue worked by hand (issue 14) on the nine customers of
tests/stripe_fixtures.py, landed as Stripe files (minor units, Unix seconds, metadata JSON),
ingested through the landing gate and built with dbt.

MRR per customer and month (EUR; JPY at 0.0062; months up to June, the last complete month
before the latest invoice change, 1 July):

| | Jan | Feb | Mar | Apr | May | Jun | why |
|---|---|---|---|---|---|---|---|
| A | 100 | 100 | 200 | 200 | 200 | 200 | upgraded 15 Feb; prorations are not MRR |
| B | | 100 | 100 | 100 | 100 | 100 | 1,200 a year / 12 |
| C | 100 | 100 | 100 | 100 | 100 | 100 | 300 every 3 months / 3 |
| D | 150 | 150 | 150 | 150 | 0 | 150 | 3 seats x 50; May 100 % off |
| E | 62 | 62 | 62 | 62 | 62 | 62 | 10,000 JPY (not 100.00 JPY) x 0.0062 |
| F | 0 | 80 | 80 | 80 | 80 | 80 | January trial at 0 |
| G | 60 | 60 | 0 | 60 | 60 | 60 | March refunded in full: counts nothing |
| H | 90 | 90 | 90 | 0 | 0 | 0 | cancelled at the end of March |
| I | 70 | 70 | 0 | 0 | 70 | 70 | ended 1 March, back 1 May |
| total | 632 | 812 | 782 | 752 | 672 | 822 | |

Movements: Jan new 632 (A, C, D, E, G, H, I); Feb new 180 (B 100, F 80); Mar expansion 100
(A), churn 130 (G 60, I 70); Apr reactivation 60 (G), churn 90 (H); May churn 150 (D),
reactivation 70 (I); Jun reactivation 150 (D). Customer churn = churned / paying at the start:
Mar 2 / 9 = 22.22 %, Apr 1 / 7, May 1 / 7. Revenue churn = (churn + contraction) / starting
MRR: Mar 130 / 812, Apr 90 / 782, May 150 / 752.

Revenue collected per month (paid invoices, refunds subtracted): Jan 100 + 300 + 150 + 62 + 60
+ 90 + 70 = 832 (F's 0 is nothing); Feb 100 + 1,200 + 150 + 62 + 80 + 60 + 90 + 70 = 1,812;
Mar (200 + 50 of prorations) + 150 + 62 + 80 + 90 = 632 (G refunded in full); Apr 200 + 300 +
150 + 62 + 80 + 60 = 852; May 200 + 62 + 80 + 60 - 20 (G's partial refund) + 70 = 452 (D's 0
is nothing); Jun 200 + 150 + 62 + 80 + 60 + 70 = 622; Jul 200.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from tests.billing_build import ingest_and_build, query
from tests.stripe_fixtures import build_account, write_fx_rates

MONTHS = [date(2025, m, 1) for m in range(1, 7)]
MRR_BY_CUSTOMER = {
    "A": [100, 100, 200, 200, 200, 200],
    "B": [0, 100, 100, 100, 100, 100],
    "C": [100, 100, 100, 100, 100, 100],
    "D": [150, 150, 150, 150, 0, 150],
    "E": [62, 62, 62, 62, 62, 62],
    "F": [0, 80, 80, 80, 80, 80],
    "G": [60, 60, 0, 60, 60, 60],
    "H": [90, 90, 90, 0, 0, 0],
    "I": [70, 70, 0, 0, 70, 70],
}
#: month -> (starting, new, expansion, contraction, churned, reactivation, ending)
BRIDGE = {
    date(2025, 1, 1): (0, 632, 0, 0, 0, 0, 632),
    date(2025, 2, 1): (632, 180, 0, 0, 0, 0, 812),
    date(2025, 3, 1): (812, 0, 100, 0, 130, 0, 782),
    date(2025, 4, 1): (782, 0, 0, 0, 90, 60, 752),
    date(2025, 5, 1): (752, 0, 0, 0, 150, 70, 672),
    date(2025, 6, 1): (672, 0, 0, 0, 0, 150, 822),
}
#: month -> (customers at start, churned customers, customer churn %, revenue churn %)
CHURN = {
    date(2025, 3, 1): (9, 2, 100 * 2 / 9, 100 * 130 / 812),
    date(2025, 4, 1): (7, 1, 100 / 7, 100 * 90 / 782),
    date(2025, 5, 1): (7, 1, 100 / 7, 100 * 150 / 752),
    date(2025, 6, 1): (7, 0, 0.0, 0.0),
}
COLLECTED = {1: 832, 2: 1812, 3: 632, 4: 852, 5: 452, 6: 622, 7: 200}


@pytest.fixture(scope="module")
def stripe_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stripe_worked_examples")
    landing, warehouse = root / "landing", root / "warehouse" / "funnel.duckdb"
    build_account().write(landing)
    write_fx_rates(landing)
    result = ingest_and_build(
        landing, warehouse, root,
        ["+mrr_movements_by_month", "+dim_payment_customers", "+int_marketing_collected_payments"],
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-6000:]
    return warehouse


def test_mrr_per_customer_and_month(stripe_build: Path) -> None:
    rows = query(
        stripe_build,
        "select customer_id, mrr_month, mrr from marts.fct_mrr order by customer_id, mrr_month",
    )
    got: dict[str, dict[date, Decimal]] = {}
    for customer_id, month, mrr in rows:
        got.setdefault(customer_id, {})[month] = mrr
    expected = {
        f"stripe:cus_{key}": {
            m: Decimal(v)
            for m, v in zip(MONTHS, values, strict=True)
            if v or any(values[: MONTHS.index(m)])
        }
        for key, values in MRR_BY_CUSTOMER.items()
    }
    for customer_id, months in expected.items():
        for month, value in months.items():
            assert got[customer_id].get(month, Decimal(0)) == value, (customer_id, month)
    assert set(got) == set(expected)


def test_mrr_bridge(stripe_build: Path) -> None:
    rows = query(
        stripe_build,
        "select mrr_month, starting_mrr, new_mrr, expansion_mrr, contraction_mrr, churned_mrr,"
        " reactivation_mrr, ending_mrr from marts.mrr_movements_by_month order by mrr_month",
    )
    assert {r[0]: tuple(int(v) for v in r[1:]) for r in rows} == BRIDGE
    assert all(v == int(v) for r in rows for v in r[1:])


def test_customer_and_revenue_churn(stripe_build: Path) -> None:
    rows = query(
        stripe_build,
        "select mrr_month, customers_at_start, churned_customers, customer_churn_rate,"
        " revenue_churn_rate from marts.mrr_movements_by_month",
    )
    got = {r[0]: r[1:] for r in rows}
    for month, (at_start, churned, customer_rate, revenue_rate) in CHURN.items():
        assert got[month][0] == at_start and got[month][1] == churned, month
        assert float(got[month][2]) == pytest.approx(customer_rate, abs=1e-9)
        assert float(got[month][3]) == pytest.approx(revenue_rate, abs=1e-9)


def test_collected_revenue_counts_prorations_and_subtracts_refunds(stripe_build: Path) -> None:
    rows = query(
        stripe_build,
        "select extract(month from paid_month), sum(collected_amount_reporting)"
        " from intermediate.int_marketing_collected_payments group by 1",
    )
    assert {int(m): v for m, v in rows} == {m: Decimal(v) for m, v in COLLECTED.items()}


def test_customers_link_by_metadata_key_else_email_domain(stripe_build: Path) -> None:
    rows = dict(
        (r[0], r[1:])
        for r in query(
            stripe_build,
            "select customer_id, crm_account_id, company_domain, source_system"
            " from intermediate.int_conformed__customers",
        )
    )
    assert rows["stripe:cus_A"] == ("ACC-A", "alpha.example", "stripe")
    assert rows["stripe:cus_B"] == (None, "beta.example", "stripe")
    assert rows["stripe:cus_C"] == (None, "gamma.example", "stripe")


def test_zero_decimal_currency_is_not_divided_by_100(stripe_build: Path) -> None:
    rows = query(
        stripe_build,
        "select distinct amount from intermediate.int_conformed__invoices"
        " where customer_id = 'stripe:cus_E'",
    )
    assert rows == [(Decimal("10000"),)]
