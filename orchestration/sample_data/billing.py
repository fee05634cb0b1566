"""Payments: a customer and its subscription's invoices, from the customer's own RNG.

A subscription bills monthly (70%) or annually from the start date. Each invoice is issued
``open`` and then paid (seconds later by card, or 1-10 days later by transfer), or voided;
a few paid invoices are refunded weeks later. The monthly amount expands, contracts, grows
with won upsell deals, stops on churn and sometimes restarts (reactivation) months later.
Invoices are generated period by period and stop at the sink's horizon, so a longer horizon
only appends periods: the earlier ones are identical.
"""

from __future__ import annotations

from random import Random

from orchestration.sample_data.columns import CUSTOMERS, INVOICES
from orchestration.sample_data.timeutil import DAY, HOUR, Clock, add_months
from orchestration.sample_data.writers import Sink, last_per_window


class Billing:
    """Writes payments customers and invoices."""

    def __init__(self, seed: int, clock: Clock, sink: Sink) -> None:
        self.seed = seed
        self.clock = clock
        self.sink = sink

    def customer(
        self,
        customer_no: int,
        email: str,
        domain: str,
        account_id: str | None,
        start: int,
        annual_amount: float,
        currency: str,
        adjustments: list[tuple[int, float]],
    ) -> None:
        """Customer ``C{customer_no}`` paying ``annual_amount`` a year from around ``start``.

        ``account_id``: the CRM account (left empty for ~15%, to be matched by domain), or
        None for a customer the CRM does not know. ``adjustments``: ``(at, delta per month)``
        changes of the recurring amount (won upsells), sorted by time.
        """
        rng = Random(f"{self.seed}:customer:{customer_no}")
        rnd = rng.random
        sink, ts, day = self.sink, self.clock.ts, self.clock.day
        horizon = sink.end
        created = start + 600 + int(rnd() * 3 * DAY)
        crm_account_id = "" if account_id is None or rnd() < 0.15 else account_id
        customer_id = f"C{customer_no:07d}"
        subscription_id = f"S{customer_no:07d}"
        w = sink.window_of(created)
        if w >= 0:
            sink.write(CUSTOMERS, w, [customer_id, email, domain, crm_account_id, ts(created)])

        months = 12 if rnd() < 0.3 else 1
        monthly = annual_amount / 12.0
        anchor = created // DAY
        issued = created + 60 + int(rnd() * 3000)
        period = 0
        seq = 0
        applied = 0
        while True:
            period_start = add_months(anchor, period * months)
            if seq > 0:  # the first invoice goes out right after sign-up
                issued = period_start * DAY + HOUR + int(rnd() * 7 * HOUR)
            if issued >= horizon:
                break
            while applied < len(adjustments) and adjustments[applied][0] <= issued:
                monthly += adjustments[applied][1]
                applied += 1
            if period > 0:
                r = rnd()
                if r < 0.03:
                    monthly *= 1.1 + 0.3 * rnd()
                elif r < 0.045:
                    monthly *= 0.6 + 0.3 * rnd()
            period_end = add_months(anchor, (period + 1) * months) - 1
            amount = f"{round(monthly * months, 2):.2f}"
            seq += 1
            invoice_id = f"INV-{customer_no:07d}-{seq:03d}"
            r = rnd()
            paid = 0
            versions: list[tuple[int, str, int]] = [(issued, "open", 0)]
            if r < 0.6:
                paid = issued + 5 + int(rnd() * 900)
            elif r < 0.95:
                paid = issued + DAY + int(rnd() * 9 * DAY)
            if paid:
                versions.append((paid, "paid", paid))
                if rnd() < 0.015:
                    versions.append((paid + 3 * DAY + int(rnd() * 37 * DAY), "refunded", paid))
            else:
                versions.append((issued + 14 * DAY + int(rnd() * 16 * DAY), "void", 0))
            self._write_invoice(
                invoice_id, customer_id, subscription_id, amount, currency,
                day(period_start), day(period_end), issued, versions,
            )  # fmt: skip

            churn_p = 0.6  # a voided (unpaid) invoice often ends the subscription
            if paid:
                churn_p = 0.12 if months == 12 else (0.02 if period >= 2 else 0.0)
            if rnd() < churn_p:
                if rnd() < 0.3:  # comes back later: a reactivation
                    anchor = period_end + 1 + 30 + int(rnd() * 150)
                    period = 0
                    continue
                break
            period += 1

    def _write_invoice(
        self,
        invoice_id: str,
        customer_id: str,
        subscription_id: str,
        amount: str,
        currency: str,
        period_start: str,
        period_end: str,
        issued: int,
        versions: list[tuple[int, str, int]],
    ) -> None:
        """One row per window: the invoice as it stood after its last change in the window."""
        sink, ts = self.sink, self.clock.ts
        for w, (t, status, paid) in last_per_window(sink, versions):
            sink.write(
                INVOICES,
                w,
                [
                    invoice_id, customer_id, status, amount, currency, period_start, period_end,
                    ts(issued), ts(paid) if paid else "", ts(t), subscription_id,
                ],
            )  # fmt: skip
