"""``--format stripe`` (issue 14): the generated world's payments as Stripe objects,
``stripe/<object>/`` JSON Lines files in place of ``payments/``, one file per extract window,
deterministic.

Rewrites the canonical files the generator wrote (same world, same windows):

- a customer -> ``customer`` (``metadata``: the CRM account id and the company domain);
- an invoice version -> ``invoice`` (amounts in the currency's minor unit, times in Unix
  seconds, ``status_transitions_*``); a ``refunded`` version -> the invoice as paid plus a
  ``refund`` of its whole amount at the version's time;
- each invoice's first version also writes its one ``invoice_line_item`` (a subscription line
  over the service period, ``period_end`` exclusive, ``price`` as the API's nested object) and,
  once per subscription, its ``subscription``; the ``price`` objects (monthly and yearly per
  currency, ``recurring`` nested as in the API) go to the first window.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from orchestration.settings import PROJECT_DIR

#: the canonical entity folders this shape replaces
REPLACES = frozenset({"payments/customers", "payments/invoices"})
#: currency -> digits of its minor unit (the project's seed), 2 when not listed
MINOR_UNIT_SEED = PROJECT_DIR / "seeds" / "currency_minor_units.csv"


def minor_unit_digits() -> dict[str, int]:
    with MINOR_UNIT_SEED.open(encoding="utf-8", newline="") as f:
        return {r["currency"].upper(): int(r["minor_unit_digits"]) for r in csv.DictReader(f)}


def _epoch(text: str) -> int | None:
    if not text:
        return None
    if len(text) == 10:
        return int(datetime.fromisoformat(text).replace(tzinfo=UTC).timestamp())
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp())


def _rows(folder: Path) -> list[tuple[str, list[dict[str, str]]]]:
    """(window tag, rows) per canonical file of ``folder``, in file-name order."""
    out = []
    for path in sorted(folder.glob("*.csv")):
        tag = path.stem.split("__", 1)[1]
        with path.open(encoding="utf-8", newline="") as f:
            out.append((tag, list(csv.DictReader(f))))
    return out


class _Files:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.lines: dict[Path, list[str]] = {}

    def add(self, obj: str, tag: str, record: dict[str, object]) -> None:
        path = self.root / "stripe" / obj / f"{obj}__{tag}.jsonl"
        self.lines.setdefault(path, []).append(json.dumps(record, separators=(",", ":")))

    def close(self) -> list[Path]:
        for path, lines in self.lines.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return sorted(p.relative_to(self.root) for p in self.lines)


def write(canonical: Path, output: Path) -> None:
    """Write the payments of the canonical folder ``canonical`` as ``output/stripe/``."""
    digits = minor_unit_digits()
    files = _Files(output)
    customers = _rows(canonical / "payments" / "customers")
    invoices = _rows(canonical / "payments" / "invoices")
    first_tag = min(tag for tag, _ in customers + invoices)

    def minor(amount: str, currency: str) -> int:
        return int(Decimal(amount).scaleb(digits.get(currency.upper(), 2)))

    currencies = sorted({r["currency"].lower() for _, rows in invoices for r in rows})
    for cur in currencies:
        for interval in ("month", "year"):
            files.add("price", first_tag, {
                "id": f"price_{interval}_{cur}", "product": "prod_funnel", "currency": cur,
                "unit_amount": None, "recurring": {"interval": interval, "interval_count": 1},
                "type": "recurring",
            })  # fmt: skip
    for tag, rows in customers:
        for r in rows:
            metadata = {"company_domain": r["company_domain"]}
            if r["crm_account_id"]:
                metadata["crm_account_id"] = r["crm_account_id"]
            files.add("customer", tag, {
                "id": r["customer_id"], "email": r["email"], "created": _epoch(r["created_at"]),
                "metadata": json.dumps(metadata, sort_keys=True),
            })  # fmt: skip
    seen_invoices: set[str] = set()
    seen_subscriptions: set[str] = set()
    for tag, rows in invoices:
        for r in rows:
            invoice_id, cur = r["invoice_id"], r["currency"].lower()
            amount = minor(r["amount"], cur) if r["amount"] else 0
            refunded = r["status"] == "refunded"
            status = "paid" if refunded else r["status"]
            paid = _epoch(r["paid_at"])
            files.add("invoice", tag, {
                "id": invoice_id, "customer": r["customer_id"],
                "subscription": r["subscription_id"] or None,
                "charge": f"ch_{invoice_id}" if paid else None, "status": status,
                "billing_reason": "subscription_cycle", "currency": cur,
                "created": _epoch(r["issued_at"]), "total": amount, "amount_due": amount,
                "amount_paid": amount if paid else 0,
                "status_transitions_finalized_at": _epoch(r["issued_at"]),
                "status_transitions_paid_at": paid,
                "status_transitions_voided_at": _epoch(r["updated_at"])
                if status == "void" else None,
            })  # fmt: skip
            if refunded:
                files.add("refund", tag, {
                    "id": f"re_{invoice_id}", "charge": f"ch_{invoice_id}", "amount": amount,
                    "currency": cur, "status": "succeeded", "created": _epoch(r["updated_at"]),
                })  # fmt: skip
            if invoice_id in seen_invoices:
                continue
            seen_invoices.add(invoice_id)
            start = date.fromisoformat(r["period_start"])
            end = date.fromisoformat(r["period_end"]) + timedelta(days=1)
            months = (end.year - start.year) * 12 + end.month - start.month
            interval = "year" if months >= 12 else "month"
            files.add("invoice_line_item", tag, {
                "id": f"il_{invoice_id}", "invoice": invoice_id,
                "subscription": r["subscription_id"] or None,
                "price": {"id": f"price_{interval}_{cur}", "object": "price"},
                "type": "subscription", "proration": False,
                "amount": amount, "currency": cur, "quantity": 1,
                "period_start": _epoch(r["period_start"]), "period_end": _epoch(end.isoformat()),
            })  # fmt: skip
            sub = r["subscription_id"]
            if sub and sub not in seen_subscriptions:
                seen_subscriptions.add(sub)
                files.add("subscription", tag, {
                    "id": sub, "customer": r["customer_id"], "status": "active",
                    "start_date": _epoch(r["period_start"]),
                })  # fmt: skip
    files.close()
