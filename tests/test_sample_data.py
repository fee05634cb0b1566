"""The sample-data generator: determinism, the landing contract, deltas, next night, streaming."""

from __future__ import annotations

import csv
import hashlib
import json
import re
import tracemalloc
from datetime import date, timedelta
from pathlib import Path

import pytest

from orchestration.landing_contract import ENTITIES, ENTITY_BY_PATH
from orchestration.sample_data import generate_landing, generate_next_night
from orchestration.sample_data.labels import LABELS_SEED

# a small history: 4 windows of 30 days
PARAMS = {"leads": 800, "seed": 11, "start_date": date(2025, 1, 1), "days": 120, "extracts": 4}
FILE_NAME = re.compile(r"^(?P<entity>[a-z_]+)__(?P<first>\d{8})_(?P<last>\d{8})\.csv$")
FORMATS = {
    "timestamp": re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"),
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$"),
    "decimal": re.compile(r"^-?\d+(\.\d+)?$"),
    "integer": re.compile(r"^-?\d+$"),
    "boolean": re.compile(r"^(true|false)$"),
}


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def landed_files(folder: Path, entity_path: str) -> list[Path]:
    """An entity's files in window order (the file names sort by window)."""
    return sorted((folder / entity_path).glob("*.csv"))


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("history")
    generate_landing(folder, **PARAMS)  # type: ignore[arg-type]
    return folder


def test_same_seed_gives_same_bytes_and_another_seed_differs(history: Path, tmp_path: Path) -> None:
    again = tmp_path / "again"
    summary = generate_landing(again, **PARAMS)  # type: ignore[arg-type]
    assert digests(again) == digests(history)
    assert sorted(p.as_posix() for p in summary.files) == sorted(
        k for k in digests(again) if k != "_generator_state.json"
    )

    other = tmp_path / "other"
    generate_landing(other, **{**PARAMS, "seed": 12})  # type: ignore[arg-type]
    theirs, ours = digests(other), digests(history)
    differing = [k for k in ours if k in theirs and ours[k] != theirs[k]]
    assert any(k.startswith("crm/leads/") for k in differing)
    assert any(k.startswith("ads/spend/") for k in differing)


def test_every_entity_lands_with_the_contract_header_and_formats(history: Path) -> None:
    state = json.loads((history / "_generator_state.json").read_text(encoding="utf-8"))
    assert state["nights_generated"] == 0 and state["leads"] == PARAMS["leads"]
    for entity in ENTITIES:
        files = landed_files(history, entity.path)
        assert files, f"no file for {entity.path}"
        for path in files:
            match = FILE_NAME.match(path.name)
            assert match and match["entity"] == entity.name, path.name
            raw = path.read_bytes()
            assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")
            with path.open(encoding="utf-8", newline="") as f:
                reader = csv.reader(f)
                header = next(reader)
                assert set(entity.required_names) <= set(header), path
                assert header == [c.name for c in entity.columns], path
                for row in reader:
                    assert len(row) == len(header), path
                    for column, value in zip(entity.columns, row, strict=True):
                        if column.not_empty:
                            assert value, f"{path.name}: empty {column.name}"
                        pattern = FORMATS.get(column.type)
                        if value and pattern is not None:
                            assert pattern.match(value), f"{path.name}: {column.name}={value!r}"


def test_changed_records_are_redelivered_with_a_later_updated_at(history: Path) -> None:
    for entity_path, key in (
        ("crm/deals", "deal_id"),
        ("crm/leads", "lead_id"),
        ("payments/invoices", "invoice_id"),
    ):
        seen: dict[str, str] = {}
        redelivered = 0
        for path in landed_files(history, entity_path):
            rows = read_rows(path)
            ids = [r[key] for r in rows]
            assert len(ids) == len(set(ids)), f"{path.name}: a {key} twice in one extract"
            for r in rows:
                before = seen.get(r[key])
                if before is not None:
                    assert r["updated_at"] > before, (entity_path, r[key])
                    redelivered += 1
                seen[r[key]] = r["updated_at"]
        assert redelivered > 0, f"no {entity_path} record arrives in two extracts"


def test_stage_and_status_labels_are_in_the_seed(history: Path) -> None:
    allowed: dict[tuple[str, str], set[str]] = {}
    with LABELS_SEED.open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            allowed.setdefault((r["source_system"], r["entity_type"]), set()).add(
                r["label"].lower()
            )
    varied = 0
    for entity_path, column, entity_type in (
        ("crm/lead_status_changes", "status", "lead"),
        ("crm/deal_stage_changes", "stage", "deal"),
        ("crm/deals", "stage", "deal"),
    ):
        systems = set()
        for path in landed_files(history, entity_path):
            for r in read_rows(path):
                label = r[column]
                systems.add(r["source_system"])
                assert label.strip().lower() in allowed[(r["source_system"], entity_type)], r
                varied += label != label.strip() or label == label.upper()
        assert systems == {"hubspot", "amocrm", "bitrix24", "pipedrive"}
    assert varied > 0, "no label with varied case or whitespace"


def test_next_night_adds_one_file_per_changed_entity_for_the_next_day(
    history: Path, tmp_path: Path
) -> None:
    runs = []
    for name in ("a", "b"):
        folder = tmp_path / name
        generate_landing(folder, **PARAMS)  # type: ignore[arg-type]
        before = set(digests(folder))
        summary = generate_next_night(folder)
        runs.append((folder, before, summary))
    (folder, before, summary), (other, _, _) = runs
    assert digests(folder) == digests(other)

    night = PARAMS["start_date"] + timedelta(days=PARAMS["days"])  # type: ignore[operator]
    tag = f"{night:%Y%m%d}_{night:%Y%m%d}"
    assert summary.window_start == summary.window_end == night
    new = set(digests(folder)) - before
    assert new == {p.as_posix() for p in summary.files}
    changed = {path for path, rows in summary.rows.items() if rows}
    assert {p.parent.as_posix() for p in summary.files} == changed
    assert len(summary.files) == len(changed)
    assert all(p.name.endswith(f"__{tag}.csv") for p in summary.files)
    # the day's own records: new leads, spend and fx rates, and changes to older records
    assert {"crm/leads", "ads/spend", "finance/fx_rates", "crm/deals"} <= changed
    assert summary.leads_created == PARAMS["leads"] // PARAMS["days"]  # type: ignore[operator]
    state = json.loads((folder / "_generator_state.json").read_text(encoding="utf-8"))
    assert state["nights_generated"] == 1
    leads = read_rows(folder / "crm/leads" / f"leads__{tag}.csv")
    assert all(r["updated_at"].startswith(night.isoformat()) for r in leads)
    assert any(int(r["lead_id"][1:]) > PARAMS["leads"] for r in leads)  # type: ignore[operator]
    assert any(int(r["lead_id"][1:]) <= PARAMS["leads"] for r in leads)  # type: ignore[operator]

    second = generate_next_night(folder)
    assert second.window_start == night + timedelta(days=1)


def test_reference_data_is_consistent(history: Path) -> None:
    days = {
        (r["date"], r["currency"])
        for p in landed_files(history, "finance/fx_rates")
        for r in read_rows(p)
    }
    start, n = PARAMS["start_date"], PARAMS["days"]
    expected = {
        ((start + timedelta(days=d)).isoformat(), c)  # type: ignore[operator]
        for d in range(n)  # type: ignore[call-overload]
        for c in ("EUR", "USD", "PLN", "UAH")
    }
    assert days == expected
    spend_utm = {
        (r["utm_source"], r["utm_medium"], r["utm_campaign"])
        for p in landed_files(history, "ads/spend")
        for r in read_rows(p)
    }
    paid = {
        (r["source"], r["medium"], r["campaign"])
        for p in landed_files(history, "crm/leads")
        for r in read_rows(p)
        if r["medium"] in ("cpc", "paid_social")
    }
    assert paid and paid <= spend_utm
    owners = {r["owner_id"] for p in landed_files(history, "crm/owners") for r in read_rows(p)}
    quota_owners = {
        r["owner_id"] for p in landed_files(history, "crm/quotas") for r in read_rows(p)
    }
    assert 15 <= len(owners) <= 25 and quota_owners == owners


def test_many_windows_reopen_files_without_repeating_the_header(tmp_path: Path) -> None:
    # 11 entities x 30 windows is more files than the writer keeps open at once (128)
    summary = generate_landing(tmp_path, leads=300, seed=3, days=30, extracts=30)
    assert len(summary.windows) == 30 and len(summary.files) > 128
    for path in summary.files:
        lines = (tmp_path / path).read_text(encoding="utf-8").splitlines()
        assert lines.count(lines[0]) == 1, path


def _traced_peaks(folder: Path, leads: int) -> list[int]:
    """Peak traced memory after each tenth of the leads (generation reports progress)."""
    peaks: list[int] = []
    tracemalloc.start()
    try:
        generate_landing(
            folder,
            leads=leads,
            seed=5,
            days=60,
            extracts=3,
            progress=lambda _m: peaks.append(tracemalloc.get_traced_memory()[1]),
        )
    finally:
        tracemalloc.stop()
    return peaks[1:]  # the first report comes before any lead


def test_memory_does_not_grow_with_the_number_of_leads(tmp_path: Path) -> None:
    # tracing slows generation ~7x: 10x more leads is enough to see per-lead state
    small = _traced_peaks(tmp_path / "small", 500)[-1]
    peaks = _traced_peaks(tmp_path / "large", 5000)
    assert peaks[-1] < 2 * small, (small, peaks[-1])
    # the peak is mostly open file buffers; per-lead state would show as growth per lead
    # between the first tenth (500 leads) and the end (5000)
    assert (peaks[-1] - peaks[0]) / 4500 < 64, peaks


def test_contract_entities_are_all_generated() -> None:
    from orchestration.sample_data.columns import ENTITY_PATHS, GENERATED_COLUMNS

    assert set(ENTITY_PATHS) == set(ENTITY_BY_PATH)
    for path, columns in zip(ENTITY_PATHS, GENERATED_COLUMNS, strict=True):
        assert set(ENTITY_BY_PATH[path].required_names) <= set(columns), path
