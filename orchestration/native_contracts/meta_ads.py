"""Meta (Facebook) Ads reports as loader tables (Fivetran's ``facebook_ads`` schema).

``basic_ad``: one row per ad and day (``spend`` in the account's currency); ``ad_history``:
each version of an ad with the campaign it belonged to from ``updated_time`` on (an ad can move
between campaigns); ``campaign_history`` names campaigns; ``account_history`` gives each
account's currency. Source: ``fivetran/dbt_facebook_ads_source``.
"""

from __future__ import annotations

from orchestration.landing_contract import Entity
from orchestration.native_contracts.declare import native_column as c
from orchestration.native_contracts.declare import native_entity

SYSTEM = "meta_ads"

ENTITIES: tuple[Entity, ...] = (
    native_entity(
        SYSTEM,
        "basic_ad",
        key=("ad_id", "date"),
        required=(
            c("ad_id", not_empty=True),
            c("date", "date", not_empty=True),
            c("spend", "decimal"),
        ),
        optional=(
            c("account_id"),
            c("impressions", "integer"),
            c("inline_link_clicks", "integer"),
        ),
        description="Daily spend per ad.",
    ),
    native_entity(
        SYSTEM,
        "ad_history",
        key=("id", "updated_time"),
        required=(c("id", not_empty=True), c("campaign_id")),
        optional=(
            c("account_id"),
            c("name"),
            c("updated_time", "timestamp", epoch="seconds"),
        ),
        description="Ad versions: the campaign an ad belongs to from updated_time on.",
    ),
    native_entity(
        SYSTEM,
        "campaign_history",
        key=("id", "updated_time"),
        required=(c("id", not_empty=True), c("name")),
        optional=(c("account_id"), c("updated_time", "timestamp", epoch="seconds")),
        description="Campaign names (the latest version wins).",
    ),
    native_entity(
        SYSTEM,
        "account_history",
        key=("id",),
        required=(c("id", not_empty=True), c("currency")),
        optional=(c("name"), c("updated_time", "timestamp", epoch="seconds")),
        description="Ad accounts and their currency.",
    ),
)
