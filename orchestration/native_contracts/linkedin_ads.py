"""LinkedIn Ads reports as loader tables (Fivetran's ``linkedin_ads`` schema).

``ad_analytics_by_campaign``: one row per campaign and day, ``cost_in_local_currency`` in the
account's currency; ``campaign_history`` names campaigns and their account;
``account_history`` gives each account's currency. Source: ``fivetran/dbt_linkedin_source``.
"""

from __future__ import annotations

from orchestration.landing_contract import Entity
from orchestration.native_contracts.declare import native_column as c
from orchestration.native_contracts.declare import native_entity

SYSTEM = "linkedin_ads"

ENTITIES: tuple[Entity, ...] = (
    native_entity(
        SYSTEM,
        "ad_analytics_by_campaign",
        key=("campaign_id", "day"),
        required=(
            c("campaign_id", not_empty=True),
            c("day", "date", not_empty=True),
            c("cost_in_local_currency", "decimal"),
        ),
        optional=(c("impressions", "integer"), c("clicks", "integer")),
        description="Daily spend per campaign in the account's currency.",
    ),
    native_entity(
        SYSTEM,
        "campaign_history",
        key=("id", "last_modified_time"),
        required=(c("id", not_empty=True), c("name")),
        optional=(
            c("account_id"),
            c("last_modified_time", "timestamp", epoch="milliseconds"),
        ),
        description="Campaign names and accounts (the latest version wins).",
    ),
    native_entity(
        SYSTEM,
        "account_history",
        key=("id",),
        required=(c("id", not_empty=True), c("currency")),
        optional=(c("name"), c("last_modified_time", "timestamp", epoch="milliseconds")),
        description="Ad accounts and their currency.",
    ),
)
