"""The generator's own row layouts, and how they map onto the landing contract's columns.

Rows are built as plain lists of strings in the order given here (fast to build); the writers
reorder them into the contract's header order (required, then optional) and leave any contract
column the generator does not know empty, so the files follow the contract even if it changes.
"""

from __future__ import annotations

from orchestration.landing_contract import ENTITY_BY_PATH, Entity

LEADS = 0
LEAD_STATUS_CHANGES = 1
DEALS = 2
DEAL_STAGE_CHANGES = 3
OWNERS = 4
QUOTAS = 5
TOUCHPOINTS = 6
SPEND = 7
CUSTOMERS = 8
INVOICES = 9
FX_RATES = 10

#: entity code -> contract path
ENTITY_PATHS: tuple[str, ...] = (
    "crm/leads",
    "crm/lead_status_changes",
    "crm/deals",
    "crm/deal_stage_changes",
    "crm/owners",
    "crm/quotas",
    "web/touchpoints",
    "ads/spend",
    "payments/customers",
    "payments/invoices",
    "finance/fx_rates",
)

#: entity code -> column names of the rows the generator builds
GENERATED_COLUMNS: tuple[tuple[str, ...], ...] = (
    (
        "lead_id", "created_at", "updated_at", "email", "company_domain", "source", "medium",
        "campaign", "owner_id", "phone", "company_name", "company_size", "industry", "country",
        "job_title", "source_system",
    ),
    ("lead_id", "status", "changed_at", "source_system"),
    (
        "deal_id", "lead_id", "account_id", "owner_id", "stage", "amount", "currency",
        "expected_close_date", "created_at", "updated_at", "is_deleted", "deal_name",
        "account_name", "account_domain", "source_system",
    ),
    ("deal_id", "stage", "changed_at", "source_system"),
    ("owner_id", "name", "team", "updated_at"),
    ("owner_id", "period_start", "period_end", "amount", "currency"),
    (
        "touchpoint_id", "lead_id", "occurred_at", "source", "medium", "campaign", "keyword",
        "touch_type", "landing_page",
    ),
    (
        "date", "platform", "account_id", "campaign_id", "campaign_name", "ad_group", "keyword",
        "utm_source", "utm_medium", "utm_campaign", "spend", "currency", "impressions", "clicks",
    ),
    ("customer_id", "email", "company_domain", "crm_account_id", "created_at"),
    (
        "invoice_id", "customer_id", "status", "amount", "currency", "period_start",
        "period_end", "issued_at", "paid_at", "updated_at", "subscription_id",
    ),
    ("date", "currency", "rate_to_reporting"),
)  # fmt: skip


def contract_entity(code: int) -> Entity:
    """The contract entity written under entity code ``code``."""
    return ENTITY_BY_PATH[ENTITY_PATHS[code]]


def header(code: int) -> list[str]:
    """Header of the files of entity ``code``: the contract's columns, required then optional."""
    return [c.name for c in contract_entity(code).columns]


def permutation(code: int) -> list[int] | None:
    """For each header column, its index in the generated row (-1: not generated, left empty).

    ``None`` when the generated layout already equals the header (no reordering needed).
    """
    generated = GENERATED_COLUMNS[code]
    names = header(code)
    if tuple(names) == generated:
        return None
    return [generated.index(n) if n in generated else -1 for n in names]
