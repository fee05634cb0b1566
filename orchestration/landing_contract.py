"""The landing contract: which entities land, where, and with which columns.

This module is the single Python statement of the contract documented in the README
("Landing contract"). The ingestion assets validate files against it and the sample-data
generator writes files that satisfy it. Business rules (stages, labels, channels) are not
here: they live in dbt seeds and vars.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["text", "timestamp", "date", "decimal", "integer", "boolean"]

#: DuckDB type that each contract type is stored as in the ``raw`` schema.
DUCKDB_TYPES: dict[ColumnType, str] = {
    "text": "varchar",
    "timestamp": "timestamp",  # always UTC; an offset in the file is converted
    "date": "date",
    "decimal": "decimal(38, 9)",
    "integer": "bigint",
    "boolean": "boolean",
}


#: a timestamp column that also takes Unix epoch numbers, in this unit
EpochUnit = Literal["seconds", "milliseconds"]


def snake_case(name: str) -> str:
    """``OpportunityFieldHistory`` -> ``opportunity_field_history``; snake_case stays as is."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name.strip()).lower()


def match_key(name: str) -> str:
    """How a native header is matched to a contract column: case and underscores ignored, a
    loader's property prefix (``property_``, ``properties_``) stripped."""
    lowered = name.strip().lower()
    for prefix in NATIVE_PROPERTY_PREFIXES:
        if lowered.startswith(prefix) and len(lowered) > len(prefix):
            lowered = lowered[len(prefix) :]
            break
    return lowered.replace("_", "")


#: prefixes a loader puts before a CRM property's name (Fivetran ``property_dealstage``,
#: flattened Airbyte ``properties_dealstage``); longest first
NATIVE_PROPERTY_PREFIXES: tuple[str, ...] = ("properties_", "properties.", "property_")


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType = "text"
    #: a row whose value is empty here is rejected (keys, event times)
    not_empty: bool = False
    #: a timestamp column of a native system that may hold Unix epoch numbers (else ISO-8601)
    epoch: EpochUnit | None = None


@dataclass(frozen=True)
class Entity:
    source: str
    name: str
    key: tuple[str, ...]
    required: tuple[Column, ...]
    #: columns the contract knows about but does not require; always present in raw
    optional: tuple[Column, ...] = field(default_factory=tuple)
    description: str = ""
    #: a native system's object (``orchestration.native_contracts``): ``name`` is the object as
    #: the system names it (``OpportunityHistory``), its folder is matched ignoring case and
    #: underscores, headers are matched to the columns ignoring case and underscores (a
    #: loader's ``property_`` prefix stripped) and JSON Lines files load too
    native: bool = False

    @property
    def path(self) -> str:
        """Folder under the landing directory, e.g. ``crm/leads``, ``salesforce/Lead``."""
        return f"{self.source}/{self.name}"

    @property
    def table_name(self) -> str:
        """The entity's name in snake_case (``OpportunityHistory`` -> ``opportunity_history``):
        its dbt source table and the last part of its raw asset key."""
        return snake_case(self.name) if self.native else self.name

    @property
    def raw_table(self) -> str:
        """Table name in the ``raw`` schema, e.g. ``crm__leads``, ``salesforce__lead``."""
        return f"{self.source}__{self.table_name}"

    @property
    def suffixes(self) -> tuple[str, ...]:
        """File name endings this entity loads."""
        return NATIVE_SUFFIXES if self.native else LANDED_SUFFIXES

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.required + self.optional

    @property
    def required_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.required)


def _c(name: str, type_: ColumnType = "text", not_empty: bool = False) -> Column:
    return Column(name, type_, not_empty)


ENTITIES: tuple[Entity, ...] = (
    Entity(
        "crm",
        "leads",
        key=("lead_id",),
        required=(
            _c("lead_id", not_empty=True),
            _c("created_at", "timestamp", not_empty=True),
            _c("updated_at", "timestamp", not_empty=True),
            _c("email"),
            _c("company_domain"),
            _c("source"),
            _c("medium"),
            _c("campaign"),
            _c("owner_id"),
        ),
        optional=(
            _c("phone"),
            _c("company_name"),
            _c("company_size", "integer"),
            _c("industry"),
            _c("country"),
            _c("job_title"),
            _c("source_system"),
        ),
        description="Leads as the CRM holds them; one row per lead version.",
    ),
    Entity(
        "crm",
        "lead_status_changes",
        key=("lead_id", "changed_at", "status"),
        required=(
            _c("lead_id", not_empty=True),
            _c("status", not_empty=True),
            _c("changed_at", "timestamp", not_empty=True),
        ),
        optional=(_c("source_system"),),
        description="Every status change of a lead, with the CRM's own status label.",
    ),
    Entity(
        "crm",
        "deals",
        key=("deal_id", "updated_at"),
        required=(
            _c("deal_id", not_empty=True),
            _c("lead_id"),
            _c("account_id"),
            _c("owner_id"),
            _c("stage"),
            _c("amount", "decimal"),
            _c("currency"),
            _c("expected_close_date", "date"),
            _c("created_at", "timestamp", not_empty=True),
            _c("updated_at", "timestamp", not_empty=True),
            _c("is_deleted", "boolean"),
        ),
        optional=(
            _c("deal_name"),
            _c("account_name"),
            _c("account_domain"),
            _c("source_system"),
        ),
        description="Deals (opportunities); one row per deal version.",
    ),
    Entity(
        "crm",
        "deal_stage_changes",
        key=("deal_id", "changed_at", "stage"),
        required=(
            _c("deal_id", not_empty=True),
            _c("stage", not_empty=True),
            _c("changed_at", "timestamp", not_empty=True),
        ),
        optional=(_c("source_system"),),
        description="Every stage change of a deal, with the CRM's own stage label.",
    ),
    Entity(
        "crm",
        "owners",
        key=("owner_id",),
        required=(_c("owner_id", not_empty=True), _c("name"), _c("team")),
        optional=(_c("updated_at", "timestamp"),),
        description="Sales reps (deal and lead owners) and their team.",
    ),
    Entity(
        "crm",
        "quotas",
        key=("owner_id", "period_start"),
        required=(
            _c("owner_id", not_empty=True),
            _c("period_start", "date", not_empty=True),
            _c("period_end", "date", not_empty=True),
            _c("amount", "decimal"),
            _c("currency"),
        ),
        description="Sales quota per owner and period.",
    ),
    Entity(
        "web",
        "touchpoints",
        key=("touchpoint_id",),
        required=(
            _c("touchpoint_id", not_empty=True),
            _c("lead_id"),
            _c("occurred_at", "timestamp", not_empty=True),
            _c("source"),
            _c("medium"),
            _c("campaign"),
            _c("keyword"),
            _c("touch_type"),
        ),
        optional=(_c("landing_page"),),
        description="Marketing touchpoints (visits, clicks, form fills) tied to a lead.",
    ),
    Entity(
        "ads",
        "spend",
        key=("date", "platform", "campaign_id", "ad_group", "keyword"),
        required=(
            _c("date", "date", not_empty=True),
            _c("platform", not_empty=True),
            _c("account_id"),
            _c("campaign_id", not_empty=True),
            _c("campaign_name"),
            _c("ad_group"),
            _c("keyword"),
            _c("utm_source"),
            _c("utm_medium"),
            _c("utm_campaign"),
            _c("spend", "decimal"),
            _c("currency"),
            _c("impressions", "integer"),
            _c("clicks", "integer"),
        ),
        description="Daily ad spend per platform, campaign, ad group and keyword.",
    ),
    Entity(
        "payments",
        "customers",
        key=("customer_id",),
        required=(
            _c("customer_id", not_empty=True),
            _c("email"),
            _c("company_domain"),
            _c("crm_account_id"),
            _c("created_at", "timestamp", not_empty=True),
        ),
        description="Customers of the payment processor.",
    ),
    Entity(
        "payments",
        "invoices",
        key=("invoice_id", "updated_at"),
        required=(
            _c("invoice_id", not_empty=True),
            _c("customer_id", not_empty=True),
            _c("status", not_empty=True),
            _c("amount", "decimal"),
            _c("currency"),
            _c("period_start", "date"),
            _c("period_end", "date"),
            _c("issued_at", "timestamp"),
            _c("paid_at", "timestamp"),
            _c("updated_at", "timestamp", not_empty=True),
        ),
        optional=(_c("subscription_id"),),
        description="Invoices; one row per invoice version (paid, open, void, refunded).",
    ),
    Entity(
        "finance",
        "fx_rates",
        key=("date", "currency"),
        required=(
            _c("date", "date", not_empty=True),
            _c("currency", not_empty=True),
            _c("rate_to_reporting", "decimal"),
        ),
        description="Daily rate: 1 unit of currency = rate_to_reporting units of the reporting "
        "currency.",
    ),
)

ENTITY_BY_PATH: dict[str, Entity] = {e.path: e for e in ENTITIES}

#: file name endings the ingestion recognises for the canonical contract
LANDED_SUFFIXES: tuple[str, ...] = (".csv", ".csv.gz", ".parquet")
#: JSON Lines (one object per line), which API dumps and loaders write: native entities only
JSONL_SUFFIXES: tuple[str, ...] = (".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz")
NATIVE_SUFFIXES: tuple[str, ...] = LANDED_SUFFIXES + JSONL_SUFFIXES
