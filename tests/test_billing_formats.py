"""``funnel generate --format stripe,ads`` (issue 14): deterministic, and each shape replaces
exactly the canonical entities it owns."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from orchestration.sample_data import generate_landing
from orchestration.sample_data.formats import convert


def tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_stripe_and_ads_shapes_are_deterministic_and_replace_their_entities(
    tmp_path: Path,
) -> None:
    canonical = tmp_path / "canonical"
    generate_landing(canonical, leads=200, seed=3)
    first, second = tmp_path / "a", tmp_path / "b"
    convert(canonical, first, ["stripe", "ads"])
    convert(canonical, second, ["stripe", "ads"])
    files = tree(first)
    assert files == tree(second)
    assert not any(name.startswith("payments/") for name in files)
    assert {name.split("/")[0] for name in files} >= {
        "stripe", "google_ads", "meta_ads", "linkedin_ads", "ads", "crm", "finance", "web",
    }  # fmt: skip
    # only the platforms without a native shape stay in the canonical spend files
    platforms = set()
    for name in files:
        if name.startswith("ads/spend/"):
            with (first / name).open(encoding="utf-8", newline="") as f:
                platforms |= {row["platform"] for row in csv.DictReader(f)}
    assert platforms == {"bing_ads"}
    # Stripe objects are JSON Lines with minor-unit integers and Unix seconds
    invoice_file = next(n for n in sorted(files) if n.startswith("stripe/invoice/"))
    record = json.loads(files[invoice_file].decode().splitlines()[0])
    assert isinstance(record["total"], int) and isinstance(record["created"], int)


def test_spend_totals_survive_the_ads_shape(tmp_path: Path) -> None:
    """Google micros, Meta ad rows and LinkedIn sums add up to the canonical spend."""
    from decimal import Decimal

    canonical, native = tmp_path / "canonical", tmp_path / "native"
    generate_landing(canonical, leads=100, seed=5, days=30, extracts=1)
    convert(canonical, native, ["ads"])

    def rows(folder: Path) -> list[dict[str, str]]:
        out: list[dict[str, str]] = []
        for path in sorted(folder.glob("*.csv")):
            with path.open(encoding="utf-8", newline="") as f:
                out.extend(csv.DictReader(f))
        return out

    spend = rows(canonical / "ads/spend")
    expected = {
        p: sum(Decimal(r["spend"]) for r in spend if r["platform"] == p)
        for p in ("google_ads", "meta_ads", "linkedin_ads")
    }
    google = sum(Decimal(r["cost_micros"]) for r in rows(native / "google_ads/campaign_stats"))
    meta = sum(Decimal(r["spend"]) for r in rows(native / "meta_ads/basic_ad"))
    linkedin = sum(
        Decimal(r["cost_in_local_currency"])
        for r in rows(native / "linkedin_ads/ad_analytics_by_campaign")
    )
    assert google / 1_000_000 == expected["google_ads"]
    assert meta == expected["meta_ads"]
    assert linkedin == expected["linkedin_ads"]
