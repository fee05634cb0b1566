"""Hand-made Stripe landing files (issue 14): nine customers, each showing one billing case, in
Stripe's own shapes (Fivetran's snake_case columns, amounts in minor units, Unix seconds, the
customer metadata as JSON). The expected MRR and revenue are worked by hand in
tests/test_stripe_worked_examples.py, not computed from these rows.

| customer | case | invoices (EUR unless said) |
|---|---|---|
| A | 100 a month, pro (200) from 15 Feb | Jan, Feb 100; Mar 200, prorations 100, -50; Apr-Jul 200|
| B | annual plan 1,200 from 1 Feb | Feb 1,200 |
| C | quarterly plan (month x 3) 300 | Jan 300, Apr 300 |
| D | 3 seats x 50, May 100 % discounted | Jan-Jun 150, May net 0 |
| E | JPY 10,000 a month (zero-decimal) | Jan-Jun 10,000 JPY = 62 EUR at 0.0062 |
| F | one-month trial, then 80 a month | Jan 0 (trial), Feb-Jun 80 |
| G | 60 a month; March refunded in full, 20 of May refunded | Jan-Jun 60 |
| H | 90 a month, cancelled at the end of March | Jan-Mar 90 |
| I | 70 a month, ended 1 March, new subscription from 1 May | Jan, Feb, May, Jun 70 |
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from pathlib import Path

CUSTOMER_COLUMNS = ["id", "email", "name", "created", "currency", "metadata", "is_deleted"]
INVOICE_COLUMNS = [
    "id", "customer_id", "subscription_id", "charge_id", "number", "status", "billing_reason",
    "currency", "created", "period_start", "period_end", "subtotal", "total", "amount_due",
    "amount_paid", "status_transitions_finalized_at", "status_transitions_paid_at",
    "status_transitions_voided_at",
]  # fmt: skip
LINE_COLUMNS = [
    "id", "invoice_id", "subscription_id", "price_id", "type", "proration", "amount",
    "discount_amount", "currency", "quantity", "period_start", "period_end",
]  # fmt: skip
SUBSCRIPTION_COLUMNS = [
    "id", "customer_id", "status", "start_date", "trial_start", "trial_end",
    "cancel_at_period_end", "canceled_at", "ended_at",
]  # fmt: skip
PRICE_COLUMNS = [
    "id", "product_id", "currency", "unit_amount", "recurring_interval",
    "recurring_interval_count", "type",
]  # fmt: skip
REFUND_COLUMNS = ["id", "charge_id", "amount", "currency", "status", "created"]

#: 1 unit = rate EUR, every day of 2025
FX_RATES = {"EUR": "1.0", "JPY": "0.0062", "USD": "0.9", "PLN": "0.25"}


def epoch(day: date, hour: int = 0) -> int:
    return int(datetime(day.year, day.month, day.day, hour, tzinfo=UTC).timestamp())


def month(m: int, d: int = 1) -> date:
    return date(2025, m, d) if m <= 12 else date(2026, m - 12, d)


def to_csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return out.getvalue()


class StripeAccount:
    """Collects Stripe objects; each invoice is paid at 09:00 on its first day."""

    def __init__(self) -> None:
        self.customers: list[list[object]] = []
        self.invoices: list[list[object]] = []
        self.lines: list[list[object]] = []
        self.subscriptions: list[list[object]] = []
        self.refunds: list[list[object]] = []
        self.prices: list[list[object]] = [
            ["price_basic", "prod_app", "eur", 10000, "month", 1, "recurring"],
            ["price_pro", "prod_app", "eur", 20000, "month", 1, "recurring"],
            ["price_annual", "prod_app", "eur", 120000, "year", 1, "recurring"],
            ["price_quarter", "prod_app", "eur", 30000, "month", 3, "recurring"],
            ["price_seat", "prod_seat", "eur", 5000, "month", 1, "recurring"],
            ["price_jpy", "prod_app", "jpy", 10000, "month", 1, "recurring"],
            ["price_f", "prod_app", "eur", 8000, "month", 1, "recurring"],
            ["price_g", "prod_app", "eur", 6000, "month", 1, "recurring"],
            ["price_h", "prod_app", "eur", 9000, "month", 1, "recurring"],
            ["price_i", "prod_app", "eur", 7000, "month", 1, "recurring"],
        ]
        self._seq = 0

    def customer(self, key: str, metadata: dict[str, str], email: str) -> str:
        customer_id = f"cus_{key}"
        self.customers.append(
            [customer_id, email, f"Customer {key}", epoch(month(1), 8), "eur",
             json.dumps(metadata), "false"]
        )  # fmt: skip
        return customer_id

    def subscription(
        self,
        sub_id: str,
        customer_id: str,
        start: date,
        *,
        status: str = "active",
        trial_end: date | None = None,
        canceled_at: date | None = None,
        ended_at: date | None = None,
        cancel_at_period_end: bool = False,
    ) -> None:
        self.subscriptions.append(
            [sub_id, customer_id, status, epoch(start, 8), epoch(start, 8) if trial_end else None,
             epoch(trial_end, 8) if trial_end else None, str(cancel_at_period_end).lower(),
             epoch(canceled_at, 12) if canceled_at else None,
             epoch(ended_at) if ended_at else None]
        )  # fmt: skip

    def invoice(
        self,
        customer_id: str,
        sub_id: str,
        start: date,
        end: date,
        lines: list[tuple[str, int, int, int, bool, str, date, date]],
        currency: str = "eur",
    ) -> str:
        """lines: (price, quantity, amount, discount, proration, type, period start, end)."""
        self._seq += 1
        invoice_id = f"in_{self._seq:03d}"
        total = sum(amount - discount for _, _, amount, discount, _, _, _, _ in lines)
        paid = epoch(start, 9)
        self.invoices.append(
            [invoice_id, customer_id, sub_id, f"ch_{self._seq:03d}", f"N-{self._seq:03d}",
             "paid", "subscription_cycle", currency, epoch(start, 8), epoch(start), epoch(end),
             total, total, total, total, epoch(start, 8), paid, None]
        )  # fmt: skip
        for n, (price, qty, amount, discount, proration, kind, p_start, p_end) in enumerate(
            lines, 1
        ):
            self.lines.append(
                [f"il_{self._seq:03d}_{n}", invoice_id, sub_id, price, kind,
                 str(proration).lower(), amount, discount, currency, qty, epoch(p_start),
                 epoch(p_end)]
            )  # fmt: skip
        return invoice_id

    def monthly(
        self,
        customer_id: str,
        sub_id: str,
        price: str,
        unit: int,
        months: list[int],
        qty: int = 1,
        currency: str = "eur",
    ) -> None:
        for m in months:
            self.invoice(
                customer_id, sub_id, month(m), month(m + 1),
                [(price, qty, unit * qty, 0, False, "subscription", month(m), month(m + 1))],
                currency,
            )  # fmt: skip

    def refund(self, refund_id: str, invoice_seq: int, amount: int, day: date) -> None:
        self.refunds.append(
            [refund_id, f"ch_{invoice_seq:03d}", amount, "eur", "succeeded", epoch(day, 15)]
        )

    def write(self, landing: Path) -> None:
        files = {
            "stripe/customer": to_csv(CUSTOMER_COLUMNS, self.customers),
            "stripe/invoice": to_csv(INVOICE_COLUMNS, self.invoices),
            "stripe/invoice_line_item": to_csv(LINE_COLUMNS, self.lines),
            "stripe/subscription": to_csv(SUBSCRIPTION_COLUMNS, self.subscriptions),
            "stripe/price": to_csv(PRICE_COLUMNS, self.prices),
            "stripe/refund": to_csv(REFUND_COLUMNS, self.refunds),
        }
        for folder, text in files.items():
            target = landing / folder / f"{folder.rsplit('/', 1)[1]}.csv"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")


def build_account() -> StripeAccount:
    """The nine customers of the module docstring."""
    s = StripeAccount()
    # A: monthly 100 (basic); upgraded to pro (200) on 15 Feb: the March invoice carries the
    # prorations of the second half of February (+100 for pro, -50 unused basic) and March pro
    a = s.customer("A", {"crm_account_id": "ACC-A"}, "billing@alpha.example")
    s.subscription("sub_A", a, month(1))
    s.monthly(a, "sub_A", "price_basic", 10000, [1, 2])
    s.invoice(
        a, "sub_A", month(3), month(4),
        [("price_pro", 1, 20000, 0, False, "subscription", month(3), month(4)),
         ("price_pro", 1, 10000, 0, True, "subscription", month(2, 15), month(3)),
         ("price_basic", 1, -5000, 0, True, "subscription", month(2, 15), month(3))],
    )  # fmt: skip
    s.monthly(a, "sub_A", "price_pro", 20000, [4, 5, 6, 7])
    # B: annual 1,200 from 1 Feb
    b = s.customer("B", {"company_domain": "https://www.beta.example/"}, "cfo@gmail.example")
    s.subscription("sub_B", b, month(2))
    s.invoice(
        b, "sub_B", month(2), month(14),
        [("price_annual", 1, 120000, 0, False, "subscription", month(2), month(14))],
    )  # fmt: skip
    # C: every 3 months, 300
    c = s.customer("C", {}, "ap@gamma.example")
    s.subscription("sub_C", c, month(1))
    for m in (1, 4):
        s.invoice(
            c, "sub_C", month(m), month(m + 3),
            [("price_quarter", 1, 30000, 0, False, "subscription", month(m), month(m + 3))],
        )  # fmt: skip
    # D: 3 seats x 50; May 100 % off
    d = s.customer("D", {}, "ap@delta.example")
    s.subscription("sub_D", d, month(1))
    s.monthly(d, "sub_D", "price_seat", 5000, [1, 2, 3, 4], qty=3)
    s.invoice(
        d, "sub_D", month(5), month(6),
        [("price_seat", 3, 15000, 15000, False, "subscription", month(5), month(6))],
    )  # fmt: skip
    s.monthly(d, "sub_D", "price_seat", 5000, [6], qty=3)
    # E: 10,000 JPY a month
    e = s.customer("E", {}, "keiri@epsilon.example")
    s.subscription("sub_E", e, month(1))
    s.monthly(e, "sub_E", "price_jpy", 10000, [1, 2, 3, 4, 5, 6], currency="jpy")
    # F: trial in January (a 0 invoice), then 80 a month
    f = s.customer("F", {}, "ap@phi.example")
    s.subscription("sub_F", f, month(1), trial_end=month(2))
    s.invoice(
        f, "sub_F", month(1), month(2),
        [("price_f", 1, 0, 0, False, "subscription", month(1), month(2))],
    )  # fmt: skip
    s.monthly(f, "sub_F", "price_f", 8000, [2, 3, 4, 5, 6])
    # G: 60 a month; the March invoice refunded in full on 20 March, 20 of May on 15 May
    g = s.customer("G", {}, "ap@gamma-g.example")
    s.subscription("sub_G", g, month(1))
    s.monthly(g, "sub_G", "price_g", 6000, [1, 2])
    march = s.invoice(
        g, "sub_G", month(3), month(4),
        [("price_g", 1, 6000, 0, False, "subscription", month(3), month(4))],
    )  # fmt: skip
    s.refund("re_G_march", int(march[3:]), 6000, month(3, 20))
    s.monthly(g, "sub_G", "price_g", 6000, [4])
    may = s.invoice(
        g, "sub_G", month(5), month(6),
        [("price_g", 1, 6000, 0, False, "subscription", month(5), month(6))],
    )  # fmt: skip
    s.refund("re_G_may", int(may[3:]), 2000, month(5, 15))
    s.monthly(g, "sub_G", "price_g", 6000, [6])
    # H: 90 a month, cancelled on 10 March at the period end (ends 1 April)
    h = s.customer("H", {}, "ap@eta.example")
    s.subscription(
        "sub_H", h, month(1), status="canceled", canceled_at=month(3, 10), ended_at=month(4),
        cancel_at_period_end=True,
    )  # fmt: skip
    s.monthly(h, "sub_H", "price_h", 9000, [1, 2, 3])
    # I: 70 a month, ended 1 March; a new subscription from 1 May
    i = s.customer("I", {}, "ap@iota.example")
    s.subscription("sub_I1", i, month(1), status="canceled", canceled_at=month(2, 20),
                   ended_at=month(3))  # fmt: skip
    s.monthly(i, "sub_I1", "price_i", 7000, [1, 2])
    s.subscription("sub_I2", i, month(5))
    s.monthly(i, "sub_I2", "price_i", 7000, [5, 6])
    return s


def write_fx_rates(landing: Path) -> None:
    rows = []
    day = date(2025, 1, 1)
    while day.year == 2025:
        rows.extend([day.isoformat(), cur, rate] for cur, rate in FX_RATES.items())
        day = date.fromordinal(day.toordinal() + 1)
    target = landing / "finance/fx_rates/fx_rates.csv"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(to_csv(["date", "currency", "rate_to_reporting"], rows), encoding="utf-8")
