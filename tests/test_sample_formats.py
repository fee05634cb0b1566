"""`funnel generate --format`: the registry of shapes, deterministic output, the same world."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from orchestration.sample_data import generate_landing
from orchestration.sample_data.formats import parse_formats


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("shape", ["salesforce", "salesforce-loader"])
def test_a_shape_is_deterministic_and_replaces_the_crm_files(tmp_path: Path, shape: str) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for target in (first, second):
        generate_landing(target, leads=60, seed=3, days=60, extracts=2, formats=[shape])
    assert _files(first) == _files(second)
    assert not (first / "crm").exists()
    assert (first / "web" / "touchpoints").is_dir() and (first / "salesforce").is_dir()


def test_salesforce_shape_carries_every_lead_and_deal(tmp_path: Path) -> None:
    canonical, salesforce = tmp_path / "c", tmp_path / "s"
    generate_landing(canonical, leads=60, seed=3, days=60, extracts=2)
    generate_landing(salesforce, leads=60, seed=3, days=60, extracts=2, formats=["salesforce"])

    def ids(folder: Path, column: str) -> set[str]:
        return {
            row[column]
            for path in folder.glob("*.csv")
            for row in csv.DictReader(path.open(encoding="utf-8", newline=""))
        }

    assert ids(canonical / "crm" / "leads", "lead_id") == ids(
        salesforce / "salesforce" / "Lead", "Id"
    )
    assert ids(canonical / "crm" / "deals", "deal_id") == ids(
        salesforce / "salesforce" / "Opportunity", "Id"
    )


def test_unknown_format_is_refused() -> None:
    assert parse_formats("canonical, salesforce") == ["canonical", "salesforce"]
    with pytest.raises(ValueError, match="unknown --format hubspot"):
        parse_formats("hubspot")
