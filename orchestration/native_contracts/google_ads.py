"""Google Ads reports as loader tables (Fivetran's ``google_ads`` schema) or report exports.

``campaign_stats``: one row per campaign, day, device and network (several rows per campaign
and day, summed in the models); ``cost_micros`` is the cost in millionths of the account's
currency. ``campaign_history`` names the campaigns, ``account_history`` gives each account's
currency. Source: ``fivetran/dbt_google_ads_source``.
"""

from __future__ import annotations

from orchestration.landing_contract import Entity
from orchestration.native_contracts.declare import native_column as c
from orchestration.native_contracts.declare import native_entity

SYSTEM = "google_ads"

ENTITIES: tuple[Entity, ...] = (
    native_entity(
        SYSTEM,
        "campaign_stats",
        key=("date", "customer_id", "id", "device", "ad_network_type"),
        required=(
            c("date", "date", not_empty=True),
            c("customer_id"),
            c("id", not_empty=True),
            c("cost_micros", "integer"),
        ),
        optional=(
            c("device"),
            c("ad_network_type"),
            c("impressions", "integer"),
            c("clicks", "integer"),
        ),
        description="Daily campaign stats per device and network; cost in micros.",
    ),
    native_entity(
        SYSTEM,
        "campaign_history",
        key=("id", "updated_at"),
        required=(c("id", not_empty=True), c("name")),
        optional=(c("customer_id"), c("updated_at", "timestamp", epoch="milliseconds")),
        description="Campaign names (the latest version wins).",
    ),
    native_entity(
        SYSTEM,
        "account_history",
        key=("id", "updated_at"),
        required=(c("id", not_empty=True), c("currency_code")),
        optional=(c("descriptive_name"), c("updated_at", "timestamp", epoch="milliseconds")),
        description="Ad accounts and their currency.",
    ),
)
