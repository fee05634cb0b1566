"""Hand-made ad-platform landing files (issue 14), in the platforms' loader shapes (Fivetran's
table and column names), all for Monday 3 and Tuesday 4 March 2025. The expected spend is
worked by hand in tests/test_ads_worked_examples.py.

- Google Ads (account 111, EUR): "Brand | Search" (501) on 3 March in three rows by device,
  12.34 + 5.66 + 1.00 = 19.00; "CRM Analytics | Search" (1001002, utm_campaign crm_analytics
  through seeds/ad_campaign_utm_mapping.csv) 30.00; "Brand Awareness" (503) 7.50, a campaign
  no lead came through (unmatched); on 4 March a row of 501 with a negative cost (-1.00).
- Meta Ads (account act_1, PLN at 0.25 EUR): ad_1 in "Retargeting" (c_A) until it moves to
  "Lookalike SMB" (c_B) on 4 March at 10:00: 40.00 PLN on 3 March (c_A, 10 EUR), 20.00 PLN on 4
  March (c_B, 5 EUR).
- LinkedIn Ads (account 900, USD at 0.9 EUR): "ABM Enterprise" (3003001) on 3 March, landed
  twice: 80.00 in the first file, restated as 100.00 in a later file (90 EUR).
"""

from __future__ import annotations

from pathlib import Path

from tests.stripe_fixtures import epoch, month, to_csv


def _write(
    landing: Path, folder: str, name: str, header: list[str], rows: list[list[object]]
) -> None:
    target = landing / folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(to_csv(header, rows), encoding="utf-8")


def write_ads(landing: Path) -> None:
    d3, d4 = "2025-03-03", "2025-03-04"
    _write(
        landing, "google_ads/campaign_stats", "campaign_stats__20250303.csv",
        ["date", "customer_id", "id", "device", "ad_network_type", "cost_micros", "impressions",
         "clicks"],
        [[d3, "111", "501", "DESKTOP", "SEARCH", 12_340_000, 1000, 40],
         [d3, "111", "501", "MOBILE", "SEARCH", 5_660_000, 600, 20],
         [d3, "111", "501", "TABLET", "SEARCH", 1_000_000, 100, 2],
         [d3, "111", "1001002", "DESKTOP", "SEARCH", 30_000_000, 900, 30],
         [d3, "111", "503", "DESKTOP", "CONTENT", 7_500_000, 5000, 5],
         [d4, "111", "501", "DESKTOP", "SEARCH", -1_000_000, 0, 0]],
    )  # fmt: skip
    _write(
        landing, "google_ads/campaign_history", "campaign_history.csv",
        ["id", "customer_id", "name", "updated_at"],
        [["501", "111", "Brand | Search", "2025-01-01T00:00:00Z"],
         ["1001002", "111", "CRM Analytics | Search", "2025-01-01T00:00:00Z"],
         ["503", "111", "Brand Awareness", "2025-01-01T00:00:00Z"]],
    )  # fmt: skip
    _write(
        landing,
        "google_ads/account_history",
        "account_history.csv",
        ["id", "currency_code", "descriptive_name", "updated_at"],
        [["111", "EUR", "Funnelhub", "2025-01-01T00:00:00Z"]],
    )
    _write(
        landing,
        "meta_ads/basic_ad",
        "basic_ad.csv",
        ["ad_id", "date", "account_id", "spend", "impressions", "inline_link_clicks"],
        [["ad_1", d3, "act_1", "40.00", 3000, 12], ["ad_1", d4, "act_1", "20.00", 1500, 6]],
    )
    _write(
        landing, "meta_ads/ad_history", "ad_history.csv",
        ["id", "campaign_id", "account_id", "name", "updated_time"],
        [["ad_1", "c_A", "act_1", "Carousel", "2025-03-01T08:00:00Z"],
         ["ad_1", "c_B", "act_1", "Carousel", "2025-03-04T10:00:00Z"]],
    )  # fmt: skip
    _write(
        landing, "meta_ads/campaign_history", "campaign_history.csv",
        ["id", "account_id", "name", "updated_time"],
        [["c_A", "act_1", "Retargeting", "2025-01-01T00:00:00Z"],
         ["c_B", "act_1", "Lookalike SMB", "2025-01-01T00:00:00Z"]],
    )  # fmt: skip
    _write(
        landing,
        "meta_ads/account_history",
        "account_history.csv",
        ["id", "currency", "name", "updated_time"],
        [["act_1", "PLN", "Funnelhub PL", "2025-01-01T00:00:00Z"]],
    )
    header = ["campaign_id", "day", "cost_in_local_currency", "impressions", "clicks"]
    _write(
        landing,
        "linkedin_ads/ad_analytics_by_campaign",
        "ad_analytics__1.csv",
        header,
        [["3003001", d3, "80.00", 700, 9]],
    )
    _write(
        landing,
        "linkedin_ads/ad_analytics_by_campaign",
        "ad_analytics__2.csv",
        header,
        [["3003001", d3, "100.00", 800, 10]],
    )
    _write(
        landing,
        "linkedin_ads/campaign_history",
        "campaign_history.csv",
        ["id", "account_id", "name", "last_modified_time"],
        [["3003001", "900", "ABM Enterprise", "2025-01-01T00:00:00Z"]],
    )
    _write(
        landing,
        "linkedin_ads/account_history",
        "account_history.csv",
        ["id", "currency", "name", "last_modified_time"],
        [["900", "USD", "Funnelhub US", "2025-01-01T00:00:00Z"]],
    )


#: leads that arrived through five of the six campaigns (not brand_awareness), 3 March 2025
LEAD_UTMS = [
    ("google", "cpc", "brand_search"),
    ("google", "cpc", "crm_analytics"),
    ("facebook", "paid_social", "retargeting"),
    ("facebook", "paid_social", "lookalike_smb"),
    ("linkedin", "paid_social", "abm_enterprise"),
]


def write_leads(landing: Path) -> None:
    columns = ["lead_id", "created_at", "updated_at", "email", "company_domain", "source"]
    columns += ["medium", "campaign", "owner_id", "source_system"]
    leads, statuses = [], []
    for n, (source, medium, campaign) in enumerate(LEAD_UTMS, 1):
        at = f"2025-03-03T1{n}:00:00Z"
        leads.append([f"L{n}", at, at, f"x{n}@lead{n}.example", f"lead{n}.example", source,
                      medium, campaign, "O1", "hubspot"])  # fmt: skip
        statuses.append([f"L{n}", "New", at, "hubspot"])
    _write(landing, "crm/leads", "leads.csv", columns, leads)
    _write(
        landing, "crm/lead_status_changes", "lead_status_changes.csv",
        ["lead_id", "status", "changed_at", "source_system"], statuses,
    )  # fmt: skip
    _write(
        landing, "crm/owners", "owners.csv", ["owner_id", "name", "team"], [["O1", "Anna", "SMB"]]
    )


__all__ = ["LEAD_UTMS", "epoch", "month", "write_ads", "write_leads"]
