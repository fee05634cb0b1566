"""Issue 12, "rows misread": a timestamp is ISO-8601 with Z, a numeric offset or none; any
other value (a zone name or abbreviation included) is rejected on its own row with a clear
reason and never changes another row; a date column never silently keeps a local date."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from pathlib import Path

import pytest

from orchestration.ingestion.ingest import ingest_entity
from orchestration.landing_contract import ENTITY_BY_PATH
from tests.landing_gate import DEALS_HEADER, deal, land, query

DEALS = ENTITY_BY_PATH["crm/deals"]


def utc(value: str) -> datetime:
    """The oracle: Python's own ISO-8601 reading, as naive UTC (no offset = UTC)."""
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        return parsed
    return parsed.astimezone(UTC).replace(tzinfo=None)


#: correct values of every accepted spelling, landed after the bad row in each file
GOOD = [
    "2025-07-02T09:00:00Z",
    "2025-07-02T09:00:00+02:00",
    "2025-07-02T09:00:00-05:30",
    "2025-07-02T09:00:00+0545",
    "2025-07-02T09:00:00+14",
    "2025-07-02 09:00:00",
    "2025-07-02T09:00",
    "2025-07-02T09:00:00.123456+01:00",
    "2025-07-02",
    "2025-12-31T23:30:00-01:00",
]


def _ingest(landing: Path, warehouse: Path, rows: list[str]):
    land(landing, "crm/deals/extract.csv", (DEALS_HEADER + "".join(rows)).encode())
    report = ingest_entity(warehouse, landing, DEALS)
    [result] = report.results
    assert report.accounting_problems == []
    return result


#: amounts the loader reads through decimal(18, 9) and those it must read through decimal(38, 9):
#: rounding at the tenth decimal, nine digits that round up to ten, exponents, many digits
AMOUNTS = [
    "6000.00",
    "+5",
    "-0.5",
    ".5",
    "5.",
    " 42.42 ",
    "0.0000000005",
    "-0.0000000005",
    "1.0000000015",
    "1.12345678901234567890123",
    "123456789.123456789",
    "999999999.999999999",
    "999999999.9999999995",
    "-999999999.9999999995",
    "1234567890.5",
    "00000000000001.25",
    "2.5e-9",
    "1E3",
    "+89245.81576817831325e5",
    "+3404514.78271156223101E+3",
    "99999999999999999999999999999.123456789",
]


def to_decimal_38_9(value: str) -> Decimal:
    """The oracle: Python's decimal, rounded half away from zero to nine places."""
    with localcontext() as context:
        context.prec = 80
        return Decimal(value.strip()).quantize(Decimal("1e-9"), rounding=ROUND_HALF_UP)


def _loaded_created(warehouse: Path) -> dict[str, datetime]:
    return dict(query(warehouse, "select deal_id, created_at from raw.crm__deals"))


def test_every_accepted_spelling_is_read_as_python_reads_it(landing: Path, warehouse: Path) -> None:
    result = _ingest(landing, warehouse, [deal(f"D{i}", created=v) for i, v in enumerate(GOOD)])
    assert (result.rows_loaded, result.rows_rejected) == (len(GOOD), 0)
    assert _loaded_created(warehouse) == {f"D{i}": utc(v) for i, v in enumerate(GOOD)}


def test_every_amount_is_read_exactly_to_nine_places(landing: Path, warehouse: Path) -> None:
    result = _ingest(landing, warehouse, [deal(f"D{i}", amount=v) for i, v in enumerate(AMOUNTS)])
    assert (result.rows_loaded, result.rows_rejected) == (len(AMOUNTS), 0)
    assert dict(query(warehouse, "select deal_id, amount from raw.crm__deals")) == {
        f"D{i}": to_decimal_38_9(v) for i, v in enumerate(AMOUNTS)
    }


def test_lowercase_t_and_z_are_accepted(landing: Path, warehouse: Path) -> None:
    _ingest(landing, warehouse, [deal("D1", created="2025-07-02t09:00:00z")])
    assert _loaded_created(warehouse) == {"D1": datetime(2025, 7, 2, 9, 0)}


NAMED_ZONES = [
    ("2025-07-02T09:00:00 America/New_York", "America/New_York"),
    ("2025-07-02T09:00:00 Europe/Kyiv", "Europe/Kyiv"),
    ("2025-07-02T09:00:00Europe/Kyiv", "Europe/Kyiv"),
    ("2025-07-02 09:00:00 EST", "EST"),
    ("2025-07-02T09:00:00 CEST", "CEST"),
    ("2025-07-02T09:00:00 UTC", "UTC"),
    ("2025-07-02T09:00:00UTC", "UTC"),
    ("2025-07-02T09:00:00 GMT+2", "GMT+2"),
    ("2025-07-02T09:00:00 UTC+02:00", "UTC+02:00"),
    ("2025-07-02T09:00:00 Etc/GMT-3", "Etc/GMT-3"),
    ("2025-07-02T09:00 PST8PDT", "PST8PDT"),
    ("2025-07-02T09:00:00.5 Asia/Kolkata", "Asia/Kolkata"),
]


@pytest.mark.parametrize(("value", "zone"), NAMED_ZONES, ids=[v for v, _ in NAMED_ZONES])
def test_a_named_zone_is_rejected_on_its_row_and_moves_no_other_row(
    value: str, zone: str, landing: Path, warehouse: Path
) -> None:
    # the bad row first: DuckDB's ICU cast read the rows after a zone name in that zone
    rows = [deal("BAD", created=value)] + [deal(f"D{i}", created=v) for i, v in enumerate(GOOD)]
    result = _ingest(landing, warehouse, rows)
    assert (result.rows_loaded, result.rows_rejected) == (len(GOOD), 1)
    [(line, reason)] = query(warehouse, "select line, reason from raw._rejected_rows")
    assert line == 2
    assert reason == (
        f"created_at: value '{value}' is not an ISO-8601 timestamp "
        "(YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|+HH:MM]): it names a time zone "
        f"('{zone}'); the contract takes only Z or a numeric offset such as +02:00, never a "
        "zone name or abbreviation"
    )
    assert _loaded_created(warehouse) == {f"D{i}": utc(v) for i, v in enumerate(GOOD)}


OTHER_BAD = [
    ("2025-07-02T09:00:00+15:00", "the offset is not between -14:00 and +14:00"),
    ("2025-07-02T09:00:00-14:30", "the offset is not between -14:00 and +14:00"),
    ("2025-07-02T09:00:00+02:60", "the offset is not between -14:00 and +14:00"),
    ("2025-07-02T09:00:00+2400", "the offset is not between -14:00 and +14:00"),
    ("2025-02-29T10:00:00Z", "not a valid calendar date or time"),
    ("2025-07-02T25:00:00", "not a valid calendar date or time"),
    ("2025-07-02T09:00:00+02:00 CET", "is not an ISO-8601 timestamp (YYYY-MM-DD"),
    ("2025-07-02T09:00:00 +02:00", "is not an ISO-8601 timestamp (YYYY-MM-DD"),
    ("infinity", "is not an ISO-8601 timestamp (YYYY-MM-DD"),
    ("epoch", "is not an ISO-8601 timestamp (YYYY-MM-DD"),
    ("1751446800", "is not an ISO-8601 timestamp (YYYY-MM-DD"),
    ("02/07/2025 09:00", "a day/month/year or month/day/year date is ambiguous"),
]


@pytest.mark.parametrize(("value", "words"), OTHER_BAD, ids=[v for v, _ in OTHER_BAD])
def test_other_non_iso_timestamps_are_rejected_per_row(
    value: str, words: str, landing: Path, warehouse: Path
) -> None:
    rows = [deal("BAD", created=value)] + [deal(f"D{i}", created=v) for i, v in enumerate(GOOD)]
    result = _ingest(landing, warehouse, rows)
    assert (result.rows_loaded, result.rows_rejected) == (len(GOOD), 1)
    [reason] = [r for (r,) in query(warehouse, "select reason from raw._rejected_rows")]
    assert reason.startswith(f"created_at: value '{value}' ") and words in reason
    assert _loaded_created(warehouse) == {f"D{i}": utc(v) for i, v in enumerate(GOOD)}


DATES_READ = [
    ("2025-02-01", date(2025, 2, 1)),
    ("2025-02-01T00:00:00", date(2025, 2, 1)),
    ("2025-02-01 00:00", date(2025, 2, 1)),
    ("2025-02-01T00:00:00.000", date(2025, 2, 1)),
    ("2024-02-29", date(2024, 2, 29)),
]
DATES_REFUSED = [
    ("2025-02-01T23:00:00-05:00", "is a timestamp, not an ISO-8601 date (YYYY-MM-DD)"),
    ("2025-02-01T00:00:00Z", "is a timestamp, not an ISO-8601 date (YYYY-MM-DD)"),
    ("2025-02-01T00:00:00+02:00", "is a timestamp, not an ISO-8601 date (YYYY-MM-DD)"),
    ("2025-02-01T10:00", "is a timestamp, not an ISO-8601 date (YYYY-MM-DD)"),
    ("2025-02-01 12:00:00", "is a timestamp, not an ISO-8601 date (YYYY-MM-DD)"),
    ("2025-02-30", "not a valid calendar date or time"),
    ("2025-02-30T00:00:00", "not a valid calendar date or time"),
    ("infinity", "is not an ISO-8601 date (YYYY-MM-DD)"),
    ("20250201", "is not an ISO-8601 date (YYYY-MM-DD)"),
]


def test_a_date_column_reads_a_date_or_a_midnight_without_offset(
    landing: Path, warehouse: Path
) -> None:
    _ingest(landing, warehouse, [deal(f"D{i}", close=v) for i, (v, _) in enumerate(DATES_READ)])
    assert dict(query(warehouse, "select deal_id, expected_close_date from raw.crm__deals")) == {
        f"D{i}": expected for i, (_, expected) in enumerate(DATES_READ)
    }


@pytest.mark.parametrize(("value", "words"), DATES_REFUSED, ids=[v for v, _ in DATES_REFUSED])
def test_a_date_column_refuses_a_time_of_day_or_an_offset(
    value: str, words: str, landing: Path, warehouse: Path
) -> None:
    result = _ingest(landing, warehouse, [deal("BAD", close=value), deal("D1")])
    assert (result.rows_loaded, result.rows_rejected) == (1, 1)
    [reason] = [r for (r,) in query(warehouse, "select reason from raw._rejected_rows")]
    assert reason.startswith(f"expected_close_date: value '{value}' ") and words in reason
