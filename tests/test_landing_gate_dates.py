"""The plausible-date window (issue 12): a date outside it is loaded, flagged, named by a dbt
test and kept out of the marts, so no mart empties or explodes because of one row.

A generated sample is built twice with a fixed as_of_date: once as it is, once with files that
add rows dated 1970, 1900, 0001, 2999, a far-future expected close date, a touchpoint in 1999,
an invoice, a quota and a spend row in 1970 / 2999 and an fx rate in 1970. Every mart of the
second build equals the first's, every planted row is in raw and in int_implausible_dates,
and the data test assert_no_implausible_dates fails (warns with the severity var) naming each.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from tests.build_files import open_read_only
from tests.conftest import materialize_everything, write_landed
from tests.dbt_cli import run_dbt
from tests.operations import table_hashes

AS_OF = date(2026, 1, 15)
#: the window the build must use: the default from, and as_of_date + 1 year
WINDOW = (date(2000, 1, 1), date(2027, 1, 15))


@dataclass(frozen=True)
class Planted:
    """A landed row with one implausible date: where it lands and how the flag names it."""

    case: str
    entity_path: str
    header: str
    row: str
    #: (entity of int_implausible_dates, record key, column, value as text)
    flags: tuple[tuple[str, str, str, str], ...]
    #: (raw table, key column, key) to find the row in raw
    raw: tuple[str, str, str]


DEALS = (
    "deal_id,lead_id,account_id,owner_id,stage,amount,currency,expected_close_date,"
    "created_at,updated_at,is_deleted,deal_name,account_name,account_domain,source_system\n"
)
UPDATED = "2025-06-01T10:00:00Z"
UPDATED_TEXT = "2025-06-01 10:00:00"


def _deal(case: str, deal_id: str, created: str, close: str, flagged: list[tuple[str, str]]):
    row = (
        f"{deal_id},,A999001,O001,appointmentscheduled,1000.00,EUR,{close},{created},{UPDATED},"
        "false,Planted deal,Planted,planted.example,hubspot\n"
    )
    flags = []
    for column, value in flagged:
        flags.append(("deals", deal_id, column, value))
        flags.append(("deal_versions", f"{deal_id} version {UPDATED_TEXT}", column, value))
    return Planted(case, "crm/deals", DEALS, row, tuple(flags), ("crm__deals", "deal_id", deal_id))


PLANTED = [
    _deal(
        "deal created at the Unix epoch",
        "DX1970",
        "1970-01-01T00:00:00Z",
        "2025-07-01",
        [("created_at", "1970-01-01 00:00:00")],
    ),
    _deal(
        "deal created in 1900",
        "DX1900",
        "1900-01-01T00:00:00Z",
        "2025-07-01",
        [("created_at", "1900-01-01 00:00:00")],
    ),
    _deal(
        "deal created in year 1",
        "DX0001",
        "0001-01-01T00:00:00Z",
        "2025-07-01",
        [("created_at", "0001-01-01 00:00:00")],
    ),
    _deal(
        "deal created in 2999",
        "DX2999",
        "2999-12-31T23:59:59Z",
        "2025-07-01",
        [("created_at", "2999-12-31 23:59:59")],
    ),
    _deal(
        "deal expected to close in 2120",
        "DXCLOSE",
        "2025-05-01T10:00:00Z",
        "2120-01-01",
        [("expected_close_date", "2120-01-01")],
    ),
    _deal(
        "deal expected to close a day after the window",
        "DXEDGE",
        "2025-05-01T10:00:00Z",
        "2027-01-16",
        [("expected_close_date", "2027-01-16")],
    ),
    Planted(
        "touchpoint of an existing lead in 1999",
        "web/touchpoints",
        "touchpoint_id,lead_id,occurred_at,source,medium,campaign,keyword,touch_type,landing_page\n",
        "TX1999,L0000001,1999-12-31T23:00:00Z,google,cpc,brand_search,crm,click,/\n",
        (("touchpoints", "TX1999", "occurred_at", "1999-12-31 23:00:00"),),
        ("web__touchpoints", "touchpoint_id", "TX1999"),
    ),
    Planted(
        "lead created in 2999",
        "crm/leads",
        "lead_id,created_at,updated_at,email,company_domain,source,medium,campaign,owner_id\n",
        "LX2999,2999-01-01T00:00:00Z,2999-01-01T00:00:00Z,x@planted.example,planted.example,"
        "google,cpc,brand_search,O001\n",
        (
            ("leads", "LX2999", "created_at", "2999-01-01 00:00:00"),
            ("leads", "LX2999", "updated_at", "2999-01-01 00:00:00"),
        ),
        ("crm__leads", "lead_id", "LX2999"),
    ),
    Planted(
        "invoice for a period in 1970",
        "payments/invoices",
        "invoice_id,customer_id,status,amount,currency,period_start,period_end,issued_at,"
        "paid_at,updated_at\n",
        "INVX1970,C0000034,paid,100.00,EUR,1970-01-01,1970-01-31,2025-03-01T10:00:00Z,"
        "2025-03-01T10:00:00Z,2025-03-01T10:00:00Z\n",
        (
            ("invoices", "INVX1970", "period_start", "1970-01-01"),
            ("invoices", "INVX1970", "period_end", "1970-01-31"),
        ),
        ("payments__invoices", "invoice_id", "INVX1970"),
    ),
    Planted(
        "quota for a quarter in 1970",
        "crm/quotas",
        "owner_id,period_start,period_end,amount,currency\n",
        "O001,1970-01-01,1970-03-31,5000.00,EUR\n",
        (
            ("quotas", "O001 from 1970-01-01", "period_start", "1970-01-01"),
            ("quotas", "O001 from 1970-01-01", "period_end", "1970-03-31"),
        ),
        ("crm__quotas", "cast(period_start as varchar)", "1970-01-01"),
    ),
    Planted(
        "ad spend on a day in 2999",
        "ads/spend",
        "date,platform,account_id,campaign_id,campaign_name,ad_group,keyword,utm_source,"
        "utm_medium,utm_campaign,spend,currency,impressions,clicks\n",
        "2999-01-01,google_ads,123-456-7890,1001001,Brand | Search,brand,funnelhub,google,cpc,"
        "brand_search,50.00,EUR,100,3\n",
        (("spend", "google_ads/1001001/brand/funnelhub", "spend_date", "2999-01-01"),),
        ("ads__spend", 'cast("date" as varchar)', "2999-01-01"),
    ),
    Planted(
        "fx rate on a day in 1970",
        "finance/fx_rates",
        "date,currency,rate_to_reporting\n",
        "1970-01-01,USD,0.5\n",
        (("fx_rates", "USD", "rate_date", "1970-01-01"),),
        ("finance__fx_rates", 'cast("date" as varchar)', "1970-01-01"),
    ),
]


@dataclass(frozen=True)
class Builds:
    clean: Path
    planted: Path
    planted_landing: Path
    planted_ok: bool


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path) -> Iterator[Builds]:
    from orchestration.sample_data import generate_landing

    root = tmp_path_factory.mktemp("plausible_dates")
    landing = root / "landing"
    generate_landing(landing, leads=300, seed=11)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FUNNEL_AS_OF_DATE", AS_OF.isoformat())
        clean = root / "clean" / "warehouse" / "funnel.duckdb"
        assert materialize_everything(landing, clean).success
        # the same landing folder plus one file per planted row
        planted_landing = root / "planted_landing"
        shutil.copytree(landing, planted_landing)
        for number, planted in enumerate(PLANTED):
            write_landed(
                planted_landing,
                planted.entity_path,
                f"planted_{number}.csv",
                planted.header + planted.row,
            )
        planted = root / "planted" / "warehouse" / "funnel.duckdb"
        result = materialize_everything(planted_landing, planted)
        yield Builds(clean, planted, planted_landing, result.success)


def _query(database: Path, sql: str) -> list[tuple]:
    with open_read_only(database) as con:
        return con.execute(sql).fetchall()


@pytest.mark.parametrize("planted", PLANTED, ids=[p.case for p in PLANTED])
def test_an_implausible_row_is_loaded_and_flagged(builds: Builds, planted: Planted) -> None:
    table, key_column, key = planted.raw
    loaded = _query(
        builds.planted, f"select count(*) from raw.{table} where {key_column} = '{key}'"
    )
    assert loaded == [(1,)], f"{planted.case}: not loaded into raw.{table}"
    flagged = set(
        _query(
            builds.planted,
            "select entity, record_key, column_name, column_value "
            "from intermediate.int_implausible_dates",
        )
    )
    for flag in planted.flags:
        assert flag in flagged, f"{planted.case}: {flag} not flagged; flagged: {sorted(flagged)}"


def test_the_flag_lists_exactly_the_planted_dates_and_the_window(builds: Builds) -> None:
    expected = {flag for planted in PLANTED for flag in planted.flags}
    rows = _query(
        builds.planted,
        "select entity, record_key, column_name, column_value, plausible_date_from, "
        "plausible_date_to from intermediate.int_implausible_dates",
    )
    assert {row[:4] for row in rows} == expected
    assert {row[4:] for row in rows} == {WINDOW}
    assert _query(builds.clean, "select count(*) from intermediate.int_implausible_dates") == [(0,)]


def test_every_mart_is_the_same_as_without_the_implausible_rows(builds: Builds) -> None:
    clean, planted = table_hashes(builds.clean), table_hashes(builds.planted)
    assert set(clean) == set(planted)
    differing = sorted(table for table in clean if clean[table] != planted[table])
    assert differing == []
    # and the period marts are neither empty nor stretched beyond the data's own dates
    for table, column in [
        ("pipeline_daily_snapshot", "snapshot_date"),
        ("pipeline_coverage_by_period", "period_start_date"),
        ("mrr_movements_by_month", "mrr_month"),
        ("marketing_efficiency_by_month", "report_month"),
    ]:
        ((count, first, last),) = _query(
            builds.planted, f"select count(*), min({column}), max({column}) from marts.{table}"
        )
        assert count > 0, table
        assert WINDOW[0] <= first and last <= WINDOW[1], (table, first, last)


def test_no_planted_id_reaches_a_mart(builds: Builds) -> None:
    ids = ["DX1970", "DX1900", "DX0001", "DX2999", "DXCLOSE", "DXEDGE", "TX1999", "LX2999"]
    ids += ["INVX1970"]
    with open_read_only(builds.planted) as con:
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        ]
        for table in tables:
            hits = con.execute(
                f'select count(*) from marts."{table}" as t where '
                + " or ".join(f"contains(cast(t as varchar), '{i}')" for i in ids)
            ).fetchone()
            assert hits == (0,), table


def _dbt_test(builds: Builds, workdir: Path, *extra: str):
    return run_dbt(
        ["test", "--select", "assert_no_implausible_dates", *extra],
        builds.planted,
        workdir,
    )


def test_the_data_test_names_every_implausible_row_and_fails_the_build(
    builds: Builds, tmp_path: Path
) -> None:
    assert not builds.planted_ok  # severity error: the build fails, nothing is published
    assert not (builds.planted.parent.parent / "serving" / "funnel.duckdb").exists()
    # FUNNEL_AS_OF_DATE is still set by the module's fixture: the same window as the build
    failed = _dbt_test(builds, tmp_path / "error")
    warned = _dbt_test(builds, tmp_path / "warn", "--vars", "{plausible_date_severity: warn}")
    assert failed.returncode == 1, failed.stdout[-2000:]
    assert warned.returncode == 0, warned.stdout[-2000:]
    assert "WARN" in warned.stdout
    for planted in PLANTED:
        for entity, key, column, value in planted.flags:
            line = f"Implausible date in {entity} {key}: {column} = {value}"
            assert line in failed.stdout, f"{planted.case}: {line!r} not in the output"
