"""Issue 12, "accounting": the run summary is the manifest's (whatever step failed), every
file's lines are loaded or rejected, unrecognised files are warned about, and a rejected row
keeps its text byte for byte."""

from __future__ import annotations

import json
from pathlib import Path

import dagster as dg
import pytest

from orchestration.defs.assets.ingestion import FILES_RECOGNISED_CHECK, raw_assets
from orchestration.defs.resources import WarehousePaths
from orchestration.ingestion.ingest import ingest_entity
from orchestration.landing_contract import ENTITY_BY_PATH
from orchestration.run_summary import RunSummary, summarize
from tests.landing_gate import land, owners_csv, query
from tests.test_landing_gate_columns import parquet_bytes

DEALS_HEADER = (
    "deal_id,lead_id,account_id,owner_id,stage,amount,currency,expected_close_date,"
    "created_at,updated_at,is_deleted"
)
DEAL = "{id},L1,A1,O1,closedwon,{amount},EUR,2025-02-01,2025-01-01T00:00:00Z,2025-01-02,false"

#: (path, bytes, data lines, rows that load, lines rejected), counted by hand
MIXED = [
    ("crm/owners/good.csv", owners_csv("O1", "O2", "O3"), 3, 3, 0),
    (
        "crm/owners/some bad rows.csv",
        b"owner_id,name,team\nO4,Anna,SMB\nO5,Bob\n,Cleo,SMB\nO7,Dan,SMB\n",
        4,
        2,
        2,
    ),
    ("crm/owners/missing_column.csv", b"owner_id,name\nO8,Eve\nO9,Fay\n", 2, 0, 2),
    (
        "crm/deals/DEALS.CSV",
        "\n".join(
            [DEALS_HEADER, DEAL.format(id="D1", amount="10"), DEAL.format(id="D2", amount="2.5")]
        ).encode(),
        2,
        2,
        0,
    ),
]
IGNORED = ["crm/deals/~$DEALS.CSV", "ads/spend/.DS_Store"]
UNRECOGNISED = ["crm/contacts/contacts.csv", "notes.txt"]


def _materialize(landing: Path, warehouse: Path) -> dg.ExecuteInProcessResult:
    paths = WarehousePaths(
        landing_dir=str(landing), warehouse=str(warehouse), serving_dir=str(landing.parent / "s")
    )
    return dg.materialize(
        raw_assets,
        resources={"paths": paths},
        instance=dg.DagsterInstance.ephemeral(),
        raise_on_error=False,
    )


def _manifest_figures(warehouse: Path, run_id: str | None) -> dict[str, int]:
    where = "where run_id = ?" if run_id else ""
    rows = query(
        warehouse,
        f"select status, count(*), sum(rows_loaded), sum(rows_rejected) from raw._load_manifest "
        f"{where} group by status",
        [run_id] if run_id else [],
    )
    figures = {f"files_{status}": int(files) for status, files, _, _ in rows}
    figures["rows_loaded"] = sum(int(r[2]) for r in rows)
    figures["rows_rejected"] = sum(int(r[3]) for r in rows)
    return figures


def _summary_figures(counts) -> dict[str, int]:
    figures = {f"files_{status}": n for status, n in counts.files.items()}
    figures["rows_loaded"] = counts.rows_loaded
    figures["rows_rejected"] = counts.rows_rejected
    return figures


@pytest.fixture
def mixed_landing(landing: Path) -> Path:
    for path, data, *_ in MIXED:
        land(landing, path, data)
    for path in IGNORED:
        land(landing, path, b"\x00lock\x00")
    for path in UNRECOGNISED:
        land(landing, path, owners_csv("O99"))
    return landing


def test_the_run_summary_is_the_manifest_even_when_a_step_failed(
    mixed_landing: Path, warehouse: Path
) -> None:
    result = _materialize(mixed_landing, warehouse)
    # crm/owners failed (a file rejected whole); its loaded files still count
    assert not result.success
    failures = [e for e in result.all_events if e.is_step_failure]
    assert [e.step_key for e in failures] == ["raw_ingestion"]
    message = failures[0].step_failure_data.error.message  # type: ignore[union-attr]
    assert "1 file(s) of crm/owners rejected" in message and "missing_column.csv" in message
    summary = summarize(result, warehouse)

    whole_rejects = {"crm/owners/missing_column.csv"}  # its header lacks 'team'
    expected = {
        "files_loaded": sum(1 for m in MIXED if m[0] not in whole_rejects),
        "files_rejected": len(whole_rejects),
        "files_ignored": len(IGNORED),
        "files_unrecognised": len(UNRECOGNISED),
        "rows_loaded": sum(m[3] for m in MIXED),
        "rows_rejected": sum(m[4] for m in MIXED),
    }
    assert expected == {
        "files_loaded": 3,
        "files_rejected": 1,
        "files_ignored": 2,
        "files_unrecognised": 2,
        "rows_loaded": 7,
        "rows_rejected": 4,
    }
    assert _summary_figures(summary.this_build) == expected
    assert _manifest_figures(warehouse, result.run_id) == expected
    assert _summary_figures(summary.in_total) == _manifest_figures(warehouse, None)
    lines = summary.lines()
    assert lines[0] == "files this build: 3 loaded, 1 rejected, 2 ignored, 2 unrecognised"
    assert lines[1] == "rows this build: 7 loaded, 4 rejected"
    assert [line.split(":")[0] for line in lines if line.startswith("UNRECOGNISED")] == [
        f"UNRECOGNISED {p}" for p in sorted(UNRECOGNISED)
    ]
    assert summary.checks_warned == [f"raw/landing_files:{FILES_RECOGNISED_CHECK}"]


def test_every_files_lines_are_loaded_or_rejected(mixed_landing: Path, warehouse: Path) -> None:
    _materialize(mixed_landing, warehouse)
    for path, data, lines, loads, rejects in MIXED:
        assert lines == len(data.decode().strip().splitlines()) - 1
        entity = ENTITY_BY_PATH["/".join(path.split("/")[:2])]
        [(rows_in, loaded, rejected)] = query(
            warehouse,
            "select rows_in, rows_loaded, rows_rejected from raw._load_manifest "
            "where source_file = ?",
            [path],
        )
        [(in_raw,)] = query(
            warehouse, f"select count(*) from raw.{entity.raw_table} where _source_file = ?", [path]
        )
        [(in_rejects,)] = query(
            warehouse,
            "select coalesce(sum(lines_spanned), 0) from raw._rejected_rows where source_file = ?",
            [path],
        )
        assert (
            (rows_in, loaded, rejected)
            == (lines, loads, rejects)
            == (
                lines,
                in_raw,
                in_rejects,
            )
        )


def test_a_second_build_counts_nothing_new_and_the_totals_hold(
    mixed_landing: Path, warehouse: Path
) -> None:
    first = summarize(_materialize(mixed_landing, warehouse), warehouse)
    second = summarize(_materialize(mixed_landing, warehouse), warehouse)
    assert second.lines()[:2] == [
        "files this build: 0 loaded, 0 rejected, 2 ignored, 2 unrecognised",
        "rows this build: 0 loaded, 0 rejected",
    ]
    assert second.in_total == first.in_total


def test_an_unrecognised_file_warns_without_failing_the_build(
    landing: Path, warehouse: Path
) -> None:
    land(landing, "crm/owners/owners.csv", owners_csv("O1"))
    land(landing, "crm/owners/owners.xlsx", b"PK\x03\x04 not a csv")
    result = _materialize(landing, warehouse)
    assert result.success
    [check] = [
        e.event_specific_data
        for e in result.all_events
        if isinstance(e.event_specific_data, dg.AssetCheckEvaluation)
        and e.event_specific_data.check_name == FILES_RECOGNISED_CHECK
    ]
    assert (check.passed, check.severity) == (False, dg.AssetCheckSeverity.WARN)
    assert "crm/owners/owners.xlsx" in str(check.metadata["unrecognised_files"].value)
    summary: RunSummary = summarize(result, warehouse)
    assert summary.checks_failed == [] and len(summary.checks_warned) == 1


def test_a_clean_landing_passes_the_check(landing: Path, warehouse: Path) -> None:
    land(landing, "crm/owners/owners.csv", owners_csv("O1"))
    result = _materialize(landing, warehouse)
    summary = summarize(result, warehouse)
    assert result.success and summary.checks_warned == [] and summary.unrecognised == []


# -- a rejected row keeps its text ---------------------------------------------------------

REJECTED_RECORDS = [
    # too many columns, with empty fields and trailing spaces
    b"D1,,A1,O1,closedwon,1,EUR,2025-02-01,2025-01-01,2025-01-02,false,,  ",
    # a value reject: quotes, a quoted comma and an empty quoted field stay as written
    b'D2,"",A1,O1,"closed, won","1,5",EUR,2025-02-01,2025-01-01,2025-01-02,false',
    # spaces around values
    b"D3 , , A1 ,O1,closedwon, 12 000 ,EUR,2025-02-01,2025-01-01,2025-01-02,false  ",
    # non-ASCII text
    "D4,,A1,O1,Étape ü 日本,abc,EUR,2025-02-01,2025-01-01,2025-01-02,false".encode(),
    # a quoted value spanning two lines, rejected for its amount
    b'D5,,A1,O1,"two\nlines",1x,EUR,2025-02-01,2025-01-01,2025-01-02,false',
    # too few columns
    b"D6,,A1",
]


@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["lf", "crlf"])
def test_a_rejected_row_keeps_its_line_byte_for_byte(
    newline: bytes, landing: Path, warehouse: Path
) -> None:
    good = DEAL.format(id="OK", amount="1").encode()
    records = [r.replace(b"\n", newline) for r in REJECTED_RECORDS]
    body = newline.join([DEALS_HEADER.encode(), good, *records, good.replace(b"OK", b"OK2")])
    land(landing, "crm/deals/extract.csv", body + newline)
    report = ingest_entity(warehouse, landing, ENTITY_BY_PATH["crm/deals"])
    assert (report.rows_loaded, report.rows_rejected) == (2, len(records) + 1)
    kept = [t for (t,) in query(warehouse, "select raw_text from raw._rejected_rows order by line")]
    assert kept == [r.decode() for r in records]


def test_a_rejected_parquet_row_is_kept_as_json(landing: Path, warehouse: Path) -> None:
    land(
        landing,
        "crm/owners/o.parquet",
        parquet_bytes({"owner_id": ["O1", ""], "name": ["Anna", ""], "team": ["SMB", " x "]}),
    )
    ingest_entity(warehouse, landing, ENTITY_BY_PATH["crm/owners"])
    [(line, raw_text)] = query(warehouse, "select line, raw_text from raw._rejected_rows")
    assert line == 2
    assert json.loads(raw_text) == {"owner_id": "", "name": "", "team": " x "}
