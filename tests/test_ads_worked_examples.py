"""Ad-platform spend worked by hand (issue 14) on tests/ads_fixtures.py: Google, Meta and
LinkedIn files in their loader shapes, five leads from five of the six campaigns, ingested
through the landing gate and built with dbt.

Spend in EUR on 3 March 2025 (PLN at 0.25, USD at 0.9):
- google / cpc / brand_search: 12.34 + 5.66 + 1.00 (three device rows) = 19.00, and -1.00 on
  4 March (a negative cost, kept and flagged): 18.00 for March;
- google / cpc / crm_analytics (campaign "CRM Analytics | Search", mapped by the seed): 30.00;
- google / cpc / brand_awareness: 7.50, no lead: unmatched;
- facebook / paid_social / retargeting: 40.00 PLN = 10.00 (ad_1 still in c_A on 3 March);
- facebook / paid_social / lookalike_smb: 20.00 PLN = 5.00 (ad_1 moved to c_B on 4 March);
- linkedin / paid_social / abm_enterprise: 100.00 USD (the restated copy, not 80.00) = 90.00.
March: 18 + 30 + 7.5 + 10 + 5 + 90 = 160.50, of which 7.50 unmatched.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.ads_fixtures import write_ads, write_leads
from tests.billing_build import ingest_and_build, query
from tests.stripe_fixtures import write_fx_rates

MARCH_SPEND = {
    ("google", "cpc", "brand_search"): Decimal("18.00"),
    ("google", "cpc", "crm_analytics"): Decimal("30.00"),
    ("google", "cpc", "brand_awareness"): Decimal("7.50"),
    ("facebook", "paid_social", "retargeting"): Decimal("10.00"),
    ("facebook", "paid_social", "lookalike_smb"): Decimal("5.00"),
    ("linkedin", "paid_social", "abm_enterprise"): Decimal("90.00"),
}


@pytest.fixture(scope="module")
def ads_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("ads_worked_examples")
    landing, warehouse = root / "landing", root / "warehouse" / "funnel.duckdb"
    write_ads(landing)
    write_leads(landing)
    write_fx_rates(landing)
    result = ingest_and_build(
        landing, warehouse, root, ["+ad_spend_matching", "+marketing_efficiency_by_month"]
    )
    assert result.returncode == 0, result.stdout[-6000:]
    return warehouse, result.stdout


def test_spend_per_utm_campaign_in_march(ads_build: tuple[Path, str]) -> None:
    warehouse, _ = ads_build
    rows = query(
        warehouse,
        "select utm_source, utm_medium, utm_campaign, spend_amount_reporting"
        " from marts.marketing_efficiency_by_month"
        " where report_month = date '2025-03-01' and spend_amount_reporting != 0",
    )
    assert {r[:3]: r[3] for r in rows} == MARCH_SPEND


def test_unmatched_spend_is_shown_with_its_amount(ads_build: tuple[Path, str]) -> None:
    warehouse, _ = ads_build
    rows = query(
        warehouse,
        "select is_matched, sum(spend_amount_reporting), count(*) from marts.ad_spend_matching"
        " where spend_month = date '2025-03-01' group by is_matched",
    )
    assert {r[0]: r[1:] for r in rows} == {
        False: (Decimal("7.50"), 1),
        True: (Decimal("153.00"), 5),
    }
    (campaign,) = query(
        warehouse, "select platform, campaign_id, lead_count from marts.ad_spend_matching"
        " where not is_matched",
    )  # fmt: skip
    assert campaign == ("google_ads", "503", 0)


def test_google_device_rows_are_summed_from_micros(ads_build: tuple[Path, str]) -> None:
    warehouse, _ = ads_build
    rows = query(
        warehouse,
        "select spend_amount, impressions, clicks from intermediate.int_ads__spend"
        " where platform = 'google_ads' and campaign_id = '501' and spend_date = '2025-03-03'",
    )
    assert rows == [(Decimal("19.00"), 1700, 62)]


def test_meta_ad_counts_in_its_campaign_of_the_day(ads_build: tuple[Path, str]) -> None:
    warehouse, _ = ads_build
    rows = query(
        warehouse,
        "select cast(spend_date as varchar), campaign_id, currency, spend_amount"
        " from intermediate.int_ads__spend where platform = 'meta_ads'"
        " order by spend_date",
    )
    assert rows == [
        ("2025-03-03", "c_A", "PLN", Decimal("40.00")),
        ("2025-03-04", "c_B", "PLN", Decimal("20.00")),
    ]


def test_restated_day_keeps_the_last_copy_and_is_flagged(ads_build: tuple[Path, str]) -> None:
    warehouse, stdout = ads_build
    rows = query(
        warehouse,
        "select spend_amount, landed_copy_count"
        " from staging.stg_linkedin_ads__ad_analytics_by_campaign",
    )
    assert rows == [(Decimal("100.00"), 2)]
    assert (
        query(warehouse, "select count(*) from raw.linkedin_ads__ad_analytics_by_campaign")[0][0]
        == 2
    )
    assert "accepted_values_stg_linkedin_ads__ad_analytics_by_campaign_landed_copy_count" in stdout
    assert "WARN" in stdout


def test_negative_spend_is_kept_and_flagged(ads_build: tuple[Path, str]) -> None:
    warehouse, stdout = ads_build
    rows = query(
        warehouse,
        "select spend_amount, has_negative_spend from staging.stg_google_ads__campaign_stats"
        " where spend_date = '2025-03-04'",
    )
    assert rows == [(Decimal("-1.00"), True)]
    assert "accepted_values_stg_google_ads__campaign_stats_has_negative_spend" in stdout
