"""``--format ads`` (issue 14): the generated world's ad spend as the ad platforms' loader
tables, CSV files in Fivetran's table and column names, one file per extract window,
deterministic.

Rewrites the canonical ``ads/spend`` files (same world, same windows):

- google_ads rows -> ``google_ads/campaign_stats``: one row per canonical row (ad group x
  keyword), told apart as device rows of the campaign and day, cost in micros; plus
  ``campaign_history`` and ``account_history`` (the currency);
- meta_ads rows -> ``meta_ads/basic_ad``: one ad per ad group (``ad_history`` puts it in its
  campaign), plus ``campaign_history`` and ``account_history``;
- linkedin_ads rows -> ``linkedin_ads/ad_analytics_by_campaign``: summed per campaign and day,
  plus ``campaign_history`` and ``account_history``;
- other platforms (bing_ads: Microsoft Ads has no native shape yet) stay in ``ads/spend``.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

#: the canonical entity folders this shape replaces (other platforms' rows are rewritten there)
REPLACES = frozenset({"ads/spend"})
NATIVE_PLATFORMS = ("google_ads", "meta_ads", "linkedin_ads")
DEVICES = ("DESKTOP", "MOBILE", "TABLET", "CONNECTED_TV", "OTHER", "UNKNOWN")
DICTIONARY_TIME = "2024-12-01T00:00:00Z"


def _csv(header: list[str], rows: list[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _write(root: Path, folder: str, tag: str, header: list[str], rows: list[list[object]]) -> None:
    name = folder.rsplit("/", 1)[1]
    path = root / folder / f"{name}__{tag}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(_csv(header, rows), encoding="utf-8")


def write(canonical: Path, output: Path) -> None:
    """Write the spend of ``canonical/ads/spend/`` under ``output``: google_ads, meta_ads and
    linkedin_ads rows in the platforms' folders, the other platforms' rows in ``ads/spend/``."""
    campaigns: dict[tuple[str, str], tuple[str, str]] = {}  # (platform, id) -> (name, account)
    accounts: dict[tuple[str, str], str] = {}  # (platform, account) -> currency
    ads: dict[str, tuple[str, str]] = {}  # ad id -> (campaign, account)
    first_tag = ""
    for path in sorted((canonical / "ads" / "spend").glob("*.csv")):
        tag = path.stem.split("__", 1)[1]
        first_tag = first_tag or tag
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header = list(reader.fieldnames or [])
            rows = list(reader)
        keep: list[list[str]] = []
        google: list[list[object]] = []
        device_no: dict[tuple[str, str], int] = defaultdict(int)
        meta: list[list[object]] = []
        linkedin: dict[tuple[str, str], list[Decimal]] = {}
        for r in rows:
            platform = r["platform"]
            if platform not in NATIVE_PLATFORMS:
                keep.append([r[h] for h in header])
                continue
            campaigns[(platform, r["campaign_id"])] = (r["campaign_name"], r["account_id"])
            accounts[(platform, r["account_id"])] = r["currency"]
            day, cid = r["date"], r["campaign_id"]
            spend, imps, clicks = Decimal(r["spend"]), int(r["impressions"]), int(r["clicks"])
            if platform == "google_ads":
                n = device_no[(day, cid)]
                device_no[(day, cid)] += 1
                google.append([day, r["account_id"], cid, DEVICES[n % len(DEVICES)],
                               "SEARCH" if n < len(DEVICES) else "SEARCH_PARTNERS",
                               int(spend.scaleb(6)), imps, clicks])  # fmt: skip
            elif platform == "meta_ads":
                ad_id = f"{cid}_{r['ad_group']}"
                ads[ad_id] = (cid, r["account_id"])
                meta.append([ad_id, day, r["account_id"], f"{spend:.2f}", imps, clicks])
            else:
                total = linkedin.setdefault((cid, day), [Decimal(0), Decimal(0), Decimal(0)])
                total[0] += spend
                total[1] += imps
                total[2] += clicks
        _write(output, "ads/spend", tag, header, keep)
        if google:
            _write(
                output, "google_ads/campaign_stats", tag,
                ["date", "customer_id", "id", "device", "ad_network_type", "cost_micros",
                 "impressions", "clicks"], google,
            )  # fmt: skip
        if meta:
            _write(
                output, "meta_ads/basic_ad", tag,
                ["ad_id", "date", "account_id", "spend", "impressions", "inline_link_clicks"],
                meta,
            )  # fmt: skip
        if linkedin:
            _write(
                output, "linkedin_ads/ad_analytics_by_campaign", tag,
                ["campaign_id", "day", "cost_in_local_currency", "impressions", "clicks"],
                [[cid, day, f"{s:.2f}", int(i), int(c)]
                 for (cid, day), (s, i, c) in sorted(linkedin.items())],
            )  # fmt: skip
    for platform in NATIVE_PLATFORMS:
        time_column = {"google_ads": "updated_at", "meta_ads": "updated_time"}.get(
            platform, "last_modified_time"
        )
        account_column = "customer_id" if platform == "google_ads" else "account_id"
        _write(
            output, f"{platform}/campaign_history", first_tag,
            ["id", account_column, "name", time_column],
            [[cid, account, name, DICTIONARY_TIME]
             for (p, cid), (name, account) in sorted(campaigns.items()) if p == platform],
        )  # fmt: skip
        currency_column = "currency_code" if platform == "google_ads" else "currency"
        _write(
            output, f"{platform}/account_history", first_tag,
            ["id", currency_column, time_column],
            [[account, currency, DICTIONARY_TIME]
             for (p, account), currency in sorted(accounts.items()) if p == platform],
        )  # fmt: skip
    _write(
        output, "meta_ads/ad_history", first_tag,
        ["id", "campaign_id", "account_id", "updated_time"],
        [[ad_id, cid, account, DICTIONARY_TIME] for ad_id, (cid, account) in sorted(ads.items())],
    )  # fmt: skip
