"""Oracle for the revenue marts: MRR, its movements, churn and CRM matching recomputed in plain
Python from the landed CSV files of a generated dataset (csv module, no SQL), then compared
with ``marts.fct_mrr``, ``marts.mrr_movements_by_month`` and ``marts.dim_payment_customers``.

The rules are the ones documented in ``models/marts/revenue/_revenue__docs.md``, implemented
here a second time, independently of the dbt models:

- latest invoice version by ``updated_at`` (ties: the file with the greatest path, then the
  last line); only ``paid`` invoices with an amount above 0 count; refunded, open and void
  invoices count nothing;
- amount x the day's rate of the paid date (reporting time zone; ``period_start`` when unpaid),
  the reporting currency at 1;
- the inclusive service period [period_start, period_end] counts in the months whose last day
  falls inside it: ``months(period_start, period_end + 1 day)`` months from the month of
  ``period_start``, each at amount / months (rounded to 9 decimals); a period shorter than 28
  days or without a month end adds no MRR;
- months up to the last complete month before the as-of date and before the day after the
  latest invoice change;
- customer-level movements (new, expansion, contraction, churn, reactivation, unchanged);
  churn rate = churned / customers at start x 100, revenue churn = (churned + contraction MRR)
  / starting MRR x 100, ARPA = ending MRR / customers at end, LTV = ARPA / (churn rate / 100).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.oracle_inputs import LandedRow, clean, dbt_vars, landed_rows, parse_timestamp

MOVEMENT_TYPES = ("new", "expansion", "contraction", "churn", "reactivation", "unchanged")
NANO = Decimal("0.000000001")
AMOUNT_TOLERANCE = 1e-6
RATE_TOLERANCE = 1e-9

# -- landed values and latest versions -------------------------------------------------------


def parse_date(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def parse_decimal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        return Decimal(text).quantize(NANO, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return None


def parse_boolean(text: str | None) -> bool:
    return (text or "").lower() in ("true", "t", "1", "yes", "y")


def normalize_domain(text: str | None) -> str | None:
    """Same rules as the normalize_domain macro."""
    if text is None:
        return None
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", clean(text, lowercase=True) or "")
    value = re.sub(r"^www[.]|[/?#:].*$", "", value)
    return value or None


def latest(records: list[tuple[tuple, LandedRow]]) -> LandedRow:
    """The record with the greatest ordering key, then the greatest file path and line."""
    return max(records, key=lambda pair: (*pair[0], *pair[1].lineage))[1]


def latest_by(
    records: Iterator[LandedRow], key_column: str, order_column: str | None = None
) -> dict[str, LandedRow]:
    grouped: dict[str, list[tuple[tuple, LandedRow]]] = defaultdict(list)
    for record in records:
        order = (parse_timestamp(record.text(order_column)),) if order_column else ()
        grouped[record.text(key_column)].append((order, record))
    return {key: latest(versions) for key, versions in grouped.items()}


# -- month arithmetic ---------------------------------------------------------------------------


def month_of(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    years, index = divmod(month.month - 1 + count, 12)
    return date(month.year + years, index + 1, 1)


def months_between(start: date, end: date) -> int:
    """Calendar-month boundaries crossed from start to end."""
    return (end.year - start.year) * 12 + end.month - start.month


# -- the oracle ---------------------------------------------------------------------------------


@dataclass
class ProjectVars:
    reporting_currency: str
    reporting_timezone: str
    as_of_date: date

    @classmethod
    def from_project(cls, as_of_date: date | None = None) -> ProjectVars:
        variables = dbt_vars()
        timezone = str(variables.get("reporting_timezone") or "UTC").strip()
        configured = os.environ.get("FUNNEL_AS_OF_DATE", "").strip()  # dbt_project.yml's source
        if as_of_date is None and configured:
            as_of_date = date.fromisoformat(str(configured))
        if as_of_date is None:
            as_of_date = datetime.now(ZoneInfo(timezone)).date()
        return cls(str(variables["reporting_currency"]).strip().upper(), timezone, as_of_date)


@dataclass
class Invoice:
    invoice_id: str
    customer_id: str
    subscription_key: str
    status: str | None
    currency: str | None
    amount: Decimal | None
    period_start: date | None
    period_end: date | None
    paid_at: datetime | None
    updated_at: datetime


@dataclass
class Oracle:
    """Everything the revenue marts should hold, computed from the landing folder."""

    landing: Path
    project: ProjectVars
    invoices: dict[str, Invoice] = field(default_factory=dict)
    exclusions: dict[str, str | None] = field(default_factory=dict)
    months: list[date] = field(default_factory=list)
    customer_mrr: dict[tuple[str, date], Decimal] = field(default_factory=dict)
    fct_rows: dict[tuple[str, date], dict] = field(default_factory=dict)
    monthly_rows: dict[date, dict] = field(default_factory=dict)
    matches: dict[str, tuple[str | None, str, str | None]] = field(default_factory=dict)
    missing_rates: list[tuple[str, date, str]] = field(default_factory=list)

    def run(self) -> Oracle:
        self._read_invoices()
        self._compute_customer_mrr()
        self._classify_movements()
        self._summarise_months()
        self._match_customers()
        return self

    # invoices and MRR lines

    def _reporting_date(self, moment: datetime) -> date:
        zone = ZoneInfo(self.project.reporting_timezone)
        return moment.replace(tzinfo=UTC).astimezone(zone).date()

    def _read_invoices(self) -> None:
        for invoice_id, record in latest_by(
            landed_rows(self.landing, "payments/invoices"), "invoice_id", "updated_at"
        ).items():
            self.invoices[invoice_id] = Invoice(
                invoice_id=invoice_id,
                customer_id=record.text("customer_id"),
                subscription_key=record.text("subscription_id") or invoice_id,
                status=record.text("status", lowercase=True),
                currency=(record.text("currency") or "").upper() or None,
                amount=parse_decimal(record.text("amount")),
                period_start=parse_date(record.text("period_start")),
                period_end=parse_date(record.text("period_end")),
                paid_at=parse_timestamp(record.text("paid_at")),
                updated_at=parse_timestamp(record.text("updated_at")),
            )

    def _rates(self) -> dict[tuple[date, str], Decimal]:
        rates: dict[tuple[date, str], Decimal] = {}
        for record in landed_rows(self.landing, "finance/fx_rates"):
            # file order = load order: a later file or line overrides an earlier one
            key = (parse_date(record.text("date")), record.text("currency").upper())
            rates[key] = parse_decimal(record.text("rate_to_reporting"))
        return rates

    @staticmethod
    def service_months(invoice: Invoice) -> int:
        """Month ends inside the inclusive period [period_start, period_end]."""
        return months_between(invoice.period_start, invoice.period_end + timedelta(days=1))

    def exclusion_reason(self, invoice: Invoice) -> str | None:
        if invoice.status == "refunded":
            return "refunded"
        if invoice.status != "paid":
            return "not_paid"
        if invoice.amount is None or invoice.amount <= 0:
            return "no_amount"
        if invoice.period_start is None or invoice.period_end is None:
            return "no_service_period"
        days = (invoice.period_end - invoice.period_start).days + 1
        if days < 28 or self.service_months(invoice) < 1:
            return "no_full_month"
        return None

    def _compute_customer_mrr(self) -> None:
        rates = self._rates()
        eligible = []
        for invoice in self.invoices.values():
            reason = self.exclusion_reason(invoice)
            self.exclusions[invoice.invoice_id] = reason
            if reason is None:
                eligible.append(invoice)
        if not eligible:
            return
        first_month = min(month_of(i.period_start) for i in eligible)
        data_through = max(self._reporting_date(i.updated_at) for i in self.invoices.values())
        bound = min(month_of(self.project.as_of_date), month_of(data_through + timedelta(days=1)))
        month = first_month
        while month < bound:
            self.months.append(month)
            month = add_months(month, 1)
        totals: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
        for invoice in eligible:
            if invoice.currency == self.project.reporting_currency:
                amount = invoice.amount
            else:
                rate_date = (
                    self._reporting_date(invoice.paid_at)
                    if invoice.paid_at
                    else invoice.period_start
                )
                rate = rates.get((rate_date, invoice.currency))
                if rate is None:
                    self.missing_rates.append((invoice.invoice_id, rate_date, invoice.currency))
                    continue
                amount = invoice.amount * rate
            count = self.service_months(invoice)
            monthly = (amount / count).quantize(NANO, rounding=ROUND_HALF_UP)
            for k in range(count):
                month = add_months(month_of(invoice.period_start), k)
                if month < bound:
                    totals[(invoice.customer_id, month)] += monthly
        self.customer_mrr = dict(totals)

    # movements

    def _classify_movements(self) -> None:
        by_customer: dict[str, dict[date, Decimal]] = defaultdict(dict)
        for (customer_id, month), mrr in self.customer_mrr.items():
            by_customer[customer_id][month] = mrr
        for customer_id, history in by_customer.items():
            paying = [m for m, mrr in history.items() if mrr > 0]
            if not paying:
                continue
            first = min(paying)
            previous = Decimal(0)
            for month in self.months:
                if month < first:
                    continue
                mrr = history.get(month, Decimal(0))
                if mrr > 0 or previous > 0:
                    if previous == 0:
                        movement = "new" if month == first else "reactivation"
                    elif mrr == 0:
                        movement = "churn"
                    elif mrr > previous:
                        movement = "expansion"
                    elif mrr < previous:
                        movement = "contraction"
                    else:
                        movement = "unchanged"
                    self.fct_rows[(customer_id, month)] = {
                        "mrr": mrr,
                        "previous_mrr": previous,
                        "movement_type": movement,
                        "movement_amount": mrr - previous,
                    }
                previous = mrr

    def _summarise_months(self) -> None:
        for month in self.months:
            rows = [row for (_, m), row in self.fct_rows.items() if m == month]

            def total(movement: str, rows: list[dict] = rows) -> Decimal:
                return sum(
                    (abs(r["movement_amount"]) for r in rows if r["movement_type"] == movement),
                    Decimal(0),
                )

            def count(movement: str, rows: list[dict] = rows) -> int:
                return sum(1 for r in rows if r["movement_type"] == movement)

            starting = sum((r["previous_mrr"] for r in rows), Decimal(0))
            ending = sum((r["mrr"] for r in rows), Decimal(0))
            at_start = sum(1 for r in rows if r["previous_mrr"] > 0)
            at_end = sum(1 for r in rows if r["mrr"] > 0)
            churned = count("churn")
            churn_rate = 100.0 * churned / at_start if at_start else None
            revenue_churn = (
                100.0 * float(total("churn") + total("contraction")) / float(starting)
                if starting > 0
                else None
            )
            arpa = float(ending) / at_end if at_end else None
            ltv = arpa / (churn_rate / 100.0) if churn_rate else None
            self.monthly_rows[month] = {
                "starting_mrr": starting,
                "new_mrr": total("new"),
                "expansion_mrr": total("expansion"),
                "contraction_mrr": total("contraction"),
                "churned_mrr": total("churn"),
                "reactivation_mrr": total("reactivation"),
                "ending_mrr": ending,
                "customers_at_start": at_start,
                "new_customers": count("new"),
                "expanded_customers": count("expansion"),
                "contracted_customers": count("contraction"),
                "churned_customers": churned,
                "reactivated_customers": count("reactivation"),
                "customers_at_end": at_end,
                "customer_churn_rate": churn_rate,
                "revenue_churn_rate": revenue_churn,
                "arpa": arpa,
                "ltv": ltv,
            }

    # CRM matching

    def _match_customers(self) -> None:
        deals = latest_by(landed_rows(self.landing, "crm/deals"), "deal_id", "updated_at")
        leads = latest_by(landed_rows(self.landing, "crm/leads"), "lead_id", "updated_at")
        accounts: set[str] = set()
        domain_accounts: dict[str, set[str]] = defaultdict(set)
        for deal in deals.values():
            account_id = deal.text("account_id")
            if account_id is None or parse_boolean(deal.text("is_deleted", lowercase=True)):
                continue
            accounts.add(account_id)
            domains = [normalize_domain(deal.text("account_domain"))]
            lead = leads.get(deal.text("lead_id"))
            if lead is not None:
                domains.append(normalize_domain(lead.text("company_domain")))
            for domain in domains:
                if domain:
                    domain_accounts[domain].add(account_id)
        customers = {}
        for record in landed_rows(self.landing, "payments/customers"):
            customers[record.text("customer_id")] = record  # the copy loaded last wins
        for customer_id, record in customers.items():
            crm_account_id = record.text("crm_account_id")
            domain = normalize_domain(record.text("company_domain"))
            candidates = domain_accounts.get(domain, set()) if domain else set()
            if crm_account_id in accounts:
                self.matches[customer_id] = (crm_account_id, "account_id", None)
            elif len(candidates) == 1:
                self.matches[customer_id] = (next(iter(candidates)), "company_domain", None)
            elif len(candidates) > 1:
                self.matches[customer_id] = (None, "unmatched", "ambiguous_domain")
            elif domain:
                self.matches[customer_id] = (None, "unmatched", "unknown_domain")
            elif crm_account_id:
                self.matches[customer_id] = (None, "unmatched", "unknown_crm_account_id")
            else:
                self.matches[customer_id] = (None, "unmatched", "no_account_id_or_domain")


# -- comparing with the marts --------------------------------------------------------------


def close(actual: object, expected: object, tolerance: float) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    return abs(float(actual) - float(expected)) <= tolerance


def compare_fct_mrr(oracle: Oracle, rows: list[tuple]) -> list[str]:
    """rows: (customer_id, mrr_month, mrr, previous_mrr, movement_type, movement_amount)."""
    problems = []
    actual = {(r[0], r[1]): r[2:] for r in rows}
    missing = sorted(set(oracle.fct_rows) - set(actual))
    extra = sorted(set(actual) - set(oracle.fct_rows))
    problems += [f"fct_mrr lacks customer-month {key}" for key in missing[:20]]
    problems += [f"fct_mrr has unexpected customer-month {key}" for key in extra[:20]]
    for key in sorted(set(actual) & set(oracle.fct_rows)):
        mrr, previous, movement, amount = actual[key]
        expected = oracle.fct_rows[key]
        if not close(mrr, expected["mrr"], AMOUNT_TOLERANCE):
            problems.append(f"{key}: mrr {mrr} != {expected['mrr']}")
        if not close(previous, expected["previous_mrr"], AMOUNT_TOLERANCE):
            problems.append(f"{key}: previous_mrr {previous} != {expected['previous_mrr']}")
        if not close(amount, expected["movement_amount"], AMOUNT_TOLERANCE):
            problems.append(f"{key}: movement_amount {amount} != {expected['movement_amount']}")
        if movement != expected["movement_type"]:
            problems.append(f"{key}: movement_type {movement} != {expected['movement_type']}")
    return problems


MONTHLY_COLUMNS = (
    "starting_mrr",
    "new_mrr",
    "expansion_mrr",
    "contraction_mrr",
    "churned_mrr",
    "reactivation_mrr",
    "ending_mrr",
    "customers_at_start",
    "new_customers",
    "expanded_customers",
    "contracted_customers",
    "churned_customers",
    "reactivated_customers",
    "customers_at_end",
    "customer_churn_rate",
    "revenue_churn_rate",
    "arpa",
    "ltv",
)
COUNT_COLUMNS = {c for c in MONTHLY_COLUMNS if c.endswith("customers") or "customers_at" in c}
RATE_COLUMNS = {"customer_churn_rate", "revenue_churn_rate"}


def compare_monthly(oracle: Oracle, rows: list[tuple]) -> list[str]:
    """rows: (mrr_month, *MONTHLY_COLUMNS)."""
    problems = []
    actual = {r[0]: dict(zip(MONTHLY_COLUMNS, r[1:], strict=True)) for r in rows}
    if sorted(actual) != oracle.months:
        problems.append(f"months {sorted(actual)} != {oracle.months}")
    for month in sorted(set(actual) & set(oracle.monthly_rows)):
        for column in MONTHLY_COLUMNS:
            got, expected = actual[month][column], oracle.monthly_rows[month][column]
            if column in COUNT_COLUMNS:
                ok = got == expected
            elif column in RATE_COLUMNS:
                ok = close(got, expected, RATE_TOLERANCE)
            elif column == "ltv" and got is not None and expected is not None:
                ok = abs(got - expected) <= RATE_TOLERANCE * max(1.0, abs(expected))
            else:
                ok = close(got, expected, AMOUNT_TOLERANCE)
            if not ok:
                problems.append(f"{month} {column}: {got} != {expected}")
    return problems


def compare_matches(oracle: Oracle, rows: list[tuple]) -> list[str]:
    """rows: (customer_id, account_id, match_method, unmatched_reason)."""
    actual = {r[0]: tuple(r[1:]) for r in rows}
    problems = []
    if set(actual) != set(oracle.matches):
        problems.append(f"customers differ: {sorted(set(actual) ^ set(oracle.matches))[:20]}")
    for customer_id in sorted(set(actual) & set(oracle.matches)):
        if actual[customer_id] != oracle.matches[customer_id]:
            problems.append(
                f"{customer_id}: {actual[customer_id]} != {oracle.matches[customer_id]}"
            )
    return problems


FCT_SQL = """
    select customer_id, mrr_month, mrr, previous_mrr, movement_type, movement_amount
    from marts.fct_mrr
"""
MONTHLY_SQL = f"select mrr_month, {', '.join(MONTHLY_COLUMNS)} from marts.mrr_movements_by_month"
MATCH_SQL = """
    select customer_id, account_id, match_method, unmatched_reason
    from marts.dim_payment_customers
"""


# -- the tests ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def oracle(sample_build) -> Oracle:
    return Oracle(sample_build.landing, ProjectVars.from_project()).run()


def test_sample_exercises_every_rule(oracle: Oracle) -> None:
    """The generated data must hold every case, or the comparison below could not fail."""
    assert not oracle.missing_rates, f"no FX rate for {oracle.missing_rates[:5]}"
    movements = {row["movement_type"] for row in oracle.fct_rows.values()}
    assert movements == set(MOVEMENT_TYPES), f"movement types in the sample: {movements}"
    eligible = [i for i in oracle.invoices.values() if oracle.exclusions[i.invoice_id] is None]
    assert {Oracle.service_months(i) for i in eligible} >= {1, 12}, "monthly and annual invoices"
    currencies = {i.currency for i in eligible}
    assert oracle.project.reporting_currency in currencies and len(currencies) > 1
    assert any(reason == "not_paid" for reason in oracle.exclusions.values())
    methods = {method for _, method, _ in oracle.matches.values()}
    assert methods == {"account_id", "company_domain", "unmatched"}, methods
    assert any(row["customer_churn_rate"] for row in oracle.monthly_rows.values())


def test_fct_mrr_matches_oracle(sample_build, oracle: Oracle) -> None:
    problems = compare_fct_mrr(oracle, sample_build.query(FCT_SQL))
    assert not problems, "\n".join(problems[:40])


def test_mrr_movements_by_month_match_oracle(sample_build, oracle: Oracle) -> None:
    problems = compare_monthly(oracle, sample_build.query(MONTHLY_SQL))
    assert not problems, "\n".join(problems[:40])


def test_customer_matching_matches_oracle(sample_build, oracle: Oracle) -> None:
    problems = compare_matches(oracle, sample_build.query(MATCH_SQL))
    assert not problems, "\n".join(problems[:40])
    unmatched = sample_build.query(
        "select customer_count from marts.payments_customer_matching"
        " where match_method = 'unmatched'"
    )
    expected = sum(1 for _, method, _ in oracle.matches.values() if method == "unmatched")
    assert unmatched == [(expected,)]
