"""Stripe objects as API exports (JSON Lines, ids and Unix-second timestamps) or loader tables
(Fivetran, Airbyte: snake_case, ``customer_id``).

Amounts are integers in the currency's minor unit (cents; yen for JPY, a zero-decimal
currency; see seeds/currency_minor_units.csv). Timestamps are Unix seconds (ISO-8601 also
loads). ``metadata`` is the customer's metadata object, kept as JSON text. An id reference
loads under the loader's name (``customer_id``) or the API's (``customer``): both are declared
and staging takes whichever is filled; a line's ``price`` and a price's ``recurring`` may also
be the API's nested objects (JSON text). Only the fields the models read are declared; any other
field is kept in raw as an extra text column.

Sources of the field lists: Stripe's API reference and ``fivetran/dbt_stripe_source``
(``macros/get_*_columns.sql``).
"""

from __future__ import annotations

from orchestration.landing_contract import Column, Entity
from orchestration.native_contracts.declare import native_column as c
from orchestration.native_contracts.declare import native_entity

SYSTEM = "stripe"


def _ts(name: str, not_empty: bool = False) -> Column:
    return c(name, "timestamp", not_empty, epoch="seconds")


def _ref(name: str) -> tuple[Column, Column]:
    """A reference by id, under the loader's name (``customer_id``) and the API's (``customer``)."""
    return c(f"{name}_id"), c(name)


ENTITIES: tuple[Entity, ...] = (
    native_entity(
        SYSTEM,
        "customer",
        key=("id",),
        required=(c("id", not_empty=True),),
        optional=(
            c("email"),
            c("name"),
            _ts("created"),
            c("currency"),
            c("metadata"),
            c("is_deleted", "boolean"),
            c("deleted", "boolean"),
            c("livemode", "boolean"),
        ),
        description="Stripe customers; metadata (JSON) may name the CRM account.",
    ),
    native_entity(
        SYSTEM,
        "invoice",
        key=("id",),
        required=(c("id", not_empty=True), c("status"), c("currency")),
        optional=(
            *_ref("customer"),
            *_ref("subscription"),
            *_ref("charge"),
            c("number"),
            c("billing_reason"),
            _ts("created"),
            _ts("period_start"),
            _ts("period_end"),
            c("subtotal", "integer"),
            c("total", "integer"),
            c("amount_due", "integer"),
            c("amount_paid", "integer"),
            _ts("status_transitions_finalized_at"),
            _ts("status_transitions_paid_at"),
            _ts("status_transitions_voided_at"),
            _ts("status_transitions_marked_uncollectible_at"),
        ),
        description="Stripe invoices; one row per invoice as exported (again when it changes).",
    ),
    native_entity(
        SYSTEM,
        "invoice_line_item",
        key=("id",),
        required=(c("id", not_empty=True), c("amount", "integer")),
        optional=(
            *_ref("invoice"),
            *_ref("subscription"),
            *_ref("price"),
            c("type"),
            c("proration", "boolean"),
            c("discount_amount", "integer"),
            c("currency"),
            c("quantity", "integer"),
            _ts("period_start"),
            _ts("period_end"),
        ),
        description="Stripe invoice lines: subscription lines, prorations and one-off items. "
        "discount_amount: the sum of the line's discount_amounts.",
    ),
    native_entity(
        SYSTEM,
        "subscription",
        key=("id",),
        required=(c("id", not_empty=True),),
        optional=(
            *_ref("customer"),
            c("status"),
            _ts("start_date"),
            _ts("trial_start"),
            _ts("trial_end"),
            c("cancel_at_period_end", "boolean"),
            _ts("canceled_at"),
            _ts("ended_at"),
        ),
        description="Stripe subscriptions (status, trial, cancellation).",
    ),
    native_entity(
        SYSTEM,
        "price",
        key=("id",),
        required=(c("id", not_empty=True),),
        optional=(
            *_ref("product"),
            c("currency"),
            c("unit_amount", "integer"),
            c("recurring_interval"),
            c("recurring_interval_count", "integer"),
            # the API's nested {"interval": ..., "interval_count": ...}, kept as JSON text
            c("recurring"),
            c("type"),
        ),
        description="Stripe prices: the recurring interval (day, week, month, year) and count.",
    ),
    native_entity(
        SYSTEM,
        "refund",
        key=("id",),
        required=(c("id", not_empty=True), c("amount", "integer")),
        optional=(*_ref("charge"), c("currency"), c("status"), _ts("created")),
        description="Stripe refunds of a charge (an invoice's payment).",
    ),
)
