"""The bad-input matrix: one landed file per case, each with its expected outcome.

Every case lands one file (after optional pre-landed files) into a fresh warehouse through
``ingest_entity`` and checks, with numbers worked out by hand from the tiny fixture:

- the file's status (loaded / rejected / skipped), rows loaded and rows rejected;
- the clear message: for a file rejected whole, its message (which starts with the file's
  path); for rejected rows, one of the "<file>: line <n>: <reason>" examples;
- for accepted input, the value as stored in raw (e.g. a +02:00 timestamp stored in UTC);
- that nothing is lost: the file's data lines, counted here from its bytes (non-blank
  physical lines after the header), equal rows loaded + rows rejected (+ the continuation
  lines of a loaded multi-line record), and the manifest and the accounting check agree.

Cases the models handle, not ingestion: raw is append-only and keeps everything, so at
ingestion these files simply **load**, with the value kept as landed. Downstream:

- duplicate rows, and a record re-delivered with an older ``updated_at``: the staging
  latest-version rule (``latest_version`` macro, doc ``stg_latest_version``): highest
  ``updated_at``, then the copy loaded last; unit test ``test_stg_crm__deals_keeps_latest_version``,
  data test ``assert_stg_crm__deals_is_latest_deal_version``, and the ``unique`` /
  ``unique_combination_of_columns`` tests on each staging model's key.
- unknown stage labels: kept with ``is_stage_mapped = false``; the ``all_stage_labels_mapped``
  test on ``stg_crm__deal_stage_changes.stage_label``,
  ``stg_crm__lead_status_changes.status_label``, ``stg_crm__deals.stage_label``,
  ``stg_crm__deal_versions.stage_label`` and
  ``int_funnel_stage_events`` fails and logs "Unmapped CRM label in <model>.<column>:
  source_system=... label='...'"; unit test ``stage_events_same_second_and_unknown_label``.
- missing FX rates and unknown currencies (no rate exists for them): ``missing_fx_rates`` on
  ``int_deal_outcomes.won_amount_reporting`` (won deals) and
  ``int_payments_invoice_mrr.amount_reporting`` (invoices counting towards MRR) fails with one
  row per currency and day; an empty rate fails ``model_checks`` on
  ``stg_finance__fx_rates``, whose log names ``rate_to_reporting``.
- negative amounts and refunds: ``int_payments_invoice_mrr.mrr_exclusion_reason``
  (``refunded``; ``no_amount`` for an amount not above 0), tested by ``accepted_values`` and
  the unit test ``int_payments_invoice_mrr_spreads_paid_invoices_only``.
- out-of-order and same-second stage changes: the event order of ``int_funnel_stage_events``
  (doc ``funnel_event_rules``: changed_at, creation first, recorded time, stage order, id);
  unit tests ``stage_events_same_second_and_unknown_label`` and
  ``stage_spells_two_changes_in_the_same_second``; a key of ``model_checks`` on
  ``stg_crm__deal_stage_changes`` (deal_id, changed_at, stage_label).
- a deal stage change before its deal exists: kept, flagged ``is_before_entity_created`` and
  moved to the deal's created_at (doc ``funnel_event_rules``); unit test
  ``stage_events_deal_without_lead_and_change_before_creation``.
- a lead id referenced but never landed: the deal becomes its own funnel entity (doc
  ``funnel_entity_rules``); status changes of a lead not in the leads extract attach to no
  entity.

The matrix itself runs no dbt (each case takes a fraction of a second). One module-scoped
``dbt build`` (``test_dirty_rows_fail_the_named_dbt_tests``, ~20 s, mostly dbt's parse) lands
several of these rows together and checks that ``all_stage_labels_mapped`` fails naming the
label, that ``missing_fx_rates`` fails naming the missing and the unknown currency, and that
staging keeps the latest version and collapses duplicates.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion.ingest import ingest_entity
from orchestration.landing_contract import ENTITIES, ENTITY_BY_PATH
from orchestration.settings import PROJECT_DIR
from tests.build_files import open_read_only
from tests.conftest import write_landed
from tests.landing_gate import DEALS_HEADER as DEALS
from tests.landing_gate import deal

# -- tiny fixture -------------------------------------------------------------------------

OWNERS = "owner_id,name,team\n"
STAGE_CHANGES = "deal_id,stage,changed_at\n"
STATUS_CHANGES = "lead_id,status,changed_at\n"
LEADS = "lead_id,created_at,updated_at,email,company_domain,source,medium,campaign,owner_id\n"
INVOICES = (
    "invoice_id,customer_id,status,amount,currency,period_start,period_end,issued_at,"
    "paid_at,updated_at\n"
)
FX = "date,currency,rate_to_reporting\n"
SPEND = (
    "date,platform,account_id,campaign_id,campaign_name,ad_group,keyword,utm_source,"
    "utm_medium,utm_campaign,spend,currency,impressions,clicks\n"
)


def invoice(
    invoice_id: str = "I1", status: str = "paid", amount: str = "100", currency: str = "EUR"
) -> str:
    return (
        f"{invoice_id},C1,{status},{amount},{currency},2025-01-01,2025-01-31,"
        "2025-01-01T09:00:00Z,2025-01-02T09:00:00Z,2025-01-02T09:00:00Z\n"
    )


def spend_row(spend: str = "12.50", impressions: str = "100", clicks: str = "7") -> str:
    return (
        f"2025-01-01,google,AC1,C1,Brand,G1,crm,google,cpc,brand,{spend},EUR,"
        f"{impressions},{clicks}\n"
    )


def parquet_deals() -> bytes:
    """A Parquet extract with typed columns (timestamptz, decimal, date, boolean)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "deals.parquet"
        with duckdb.connect() as con:
            con.execute("set TimeZone = 'UTC'")
            con.execute(
                f"""
                copy (
                    select 'D1' as deal_id, 'L1' as lead_id, 'A1' as account_id,
                        'O1' as owner_id, 'closedwon' as stage, 250.75::decimal(18, 2) as amount,
                        'EUR' as currency, date '2025-02-01' as expected_close_date,
                        timestamptz '2025-01-01 10:00:00+02:00' as created_at,
                        timestamptz '2025-01-02 10:00:00+00:00' as updated_at,
                        false as is_deleted
                    union all
                    select 'D2', null, 'A2', 'O1', 'Contract Sent', 99.5, 'USD',
                        date '2025-03-01', timestamptz '2025-01-05 00:00:00+00:00',
                        timestamptz '2025-01-06 00:00:00+00:00', true
                ) to '{target}' (format parquet)
                """
            )
        return target.read_bytes()


def parquet_owners_without_team() -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "owners.parquet"
        with duckdb.connect() as con:
            con.execute(
                "copy (select * from (values ('O1', 'Anna'), ('O2', 'Bob')) as t(owner_id, name)) "
                f"to '{target}' (format parquet)"
            )
        return target.read_bytes()


@dataclass(frozen=True)
class Case:
    id: str
    entity: str
    data: bytes | Callable[[], bytes]
    status: str = "loaded"
    loaded: int = 0
    rejected: int = 0
    continuation: int = 0
    #: substring of the file's message (rejected / skipped) or of one row-reject example
    message: str | None = None
    name: str = "extract.csv"
    #: (entity, file name, bytes) landed and ingested before the case's file
    pre: tuple[tuple[str, str, bytes], ...] = ()
    #: a query on the warehouse and the rows it must return
    query: str | None = None
    expect: list[tuple] | None = None
    #: how to decode the bytes to count their lines
    encoding: str = "utf-8"
    #: data lines counted by hand where counting non-blank lines does not apply (Parquet
    #: rows, an unreadable file, a blank line inside a quoted value)
    data_lines: int | None = None


def _b(text: str) -> bytes:
    return text.encode("utf-8")


DEALS_GOOD = _b(DEALS + deal())
UNTERMINATED = _b(OWNERS + 'O1,Anna,SMB\nO2,"Bob,SMB\nO3,Cleo,Enterprise\n')

CASES = [
    # -- encodings ----------------------------------------------------------------------
    Case(
        "cp1251_data_rejected_whole",
        "crm/owners",
        (OWNERS + "O1,Anna,SMB\nO2,Иван Петров,Продажи\n").encode("cp1251"),
        status="rejected",
        rejected=2,
        message="crm/owners/extract.csv: line 3: the file is not valid UTF-8",
        encoding="cp1251",
    ),
    Case(
        "cp1251_header_rejected_whole",
        "crm/owners",
        "owner_id,name,team,регион\nO1,Анна,SMB,Москва\n".encode("cp1251"),
        status="rejected",
        rejected=1,
        message="crm/owners/extract.csv: line 1: the header is not valid UTF-8 (it looks like "
        "cp1251",
        encoding="cp1251",
    ),
    Case(
        "utf16_with_bom_rejected_whole",
        "crm/owners",
        (OWNERS + "O1,Anna,SMB\nO2,Bob,SMB\n").encode("utf-16"),
        status="rejected",
        rejected=2,
        message="crm/owners/extract.csv: the file is encoded as UTF-16",
        encoding="utf-16",
    ),
    Case(
        "utf16le_without_bom_rejected_whole",
        "crm/owners",
        (OWNERS + "O1,Anna,SMB\n").encode("utf-16-le"),
        status="rejected",
        rejected=1,
        message="crm/owners/extract.csv: the file is encoded as UTF-16",
        encoding="utf-16-le",
    ),
    Case(
        "utf8_bom_accepted_header_without_bom",
        "crm/owners",
        b"\xef\xbb\xbf" + _b(OWNERS + "O1,Anna,SMB\n"),
        loaded=1,
        query="select owner_id, name, team from raw.crm__owners",
        expect=[("O1", "Anna", "SMB")],
    ),
    # -- layout -------------------------------------------------------------------------
    Case(
        "crlf_line_endings",
        "crm/owners",
        b"owner_id,name,team\r\nO1,Anna,SMB\r\nO2,Bob,Enterprise\r\n",
        loaded=2,
        query="select owner_id, team, _source_line from raw.crm__owners order by 1",
        expect=[("O1", "SMB", 2), ("O2", "Enterprise", 3)],
    ),
    Case(
        "cr_only_line_endings_rejected_whole",
        "crm/owners",
        b"owner_id,name,team\rO1,Anna,SMB\rO2,Bob,SMB\r",
        status="rejected",
        rejected=2,
        message="crm/owners/extract.csv: line 1: the file uses CR-only (classic Mac) line endings",
    ),
    Case(
        "semicolon_delimiter_rejected_whole",
        "crm/owners",
        _b("owner_id;name;team\nO1;Anna;SMB\nO2;Bob;SMB\n"),
        status="rejected",
        rejected=2,
        message="crm/owners/extract.csv: line 1: the header uses ';' as delimiter; the landing "
        "contract requires ','",
    ),
    Case(
        "reordered_mixed_case_columns_loaded_by_name",
        "crm/owners",
        _b(" Team ,OWNER_ID,Name\nSMB,O1,Anna\n"),
        loaded=1,
        query="select owner_id, name, team from raw.crm__owners",
        expect=[("O1", "Anna", "SMB")],
    ),
    Case(
        "extra_columns_kept_as_text",
        "crm/owners",
        _b("owner_id,name,team,region,headcount\nO1,Anna,SMB,EMEA,0042\n"),
        loaded=1,
        query="select owner_id, region, headcount, typeof(headcount) from raw.crm__owners",
        expect=[("O1", "EMEA", "0042", "VARCHAR")],
    ),
    Case(
        "missing_optional_columns_loaded_as_null",
        "crm/leads",
        _b(LEADS + "L1,2025-01-01,2025-01-02,a@x.io,x.io,google,cpc,brand,O1\n"),
        loaded=1,
        query="select lead_id, phone, company_size, source_system from raw.crm__leads",
        expect=[("L1", None, None, None)],
    ),
    Case(
        "missing_required_column_rejected_naming_it",
        "crm/owners",
        _b("owner_id,name\nO1,Anna\nO2,Bob\n"),
        status="rejected",
        rejected=2,
        message="crm/owners/extract.csv: line 1: the header lacks required column(s) team of "
        "crm/owners",
    ),
    Case(
        "empty_file_rejected",
        "crm/owners",
        b"",
        status="rejected",
        message="crm/owners/extract.csv: the file is empty (no header row)",
    ),
    Case("header_only_loads_nothing", "crm/owners", _b(OWNERS)),
    Case("header_only_without_newline", "crm/owners", b"owner_id,name,team"),
    Case(
        "blank_lines_skipped_lines_stay_physical",
        "crm/owners",
        _b(OWNERS + "O1,Anna,SMB\n\nO2,Bob\n\nO3,Cleo,SMB\n\n"),
        loaded=2,
        rejected=1,
        message="crm/owners/extract.csv: line 4: MISSING COLUMNS: Expected Number of Columns: 3",
        query="select owner_id, _source_line from raw.crm__owners order by 1",
        expect=[("O1", 2), ("O3", 6)],
    ),
    Case(
        "quoted_multi_line_value_then_a_bad_row",
        "crm/owners",
        _b(OWNERS + 'O1,"Anna\nSmith",SMB\nO2,Bob,SMB,extra\nO3,Cleo,SMB\n'),
        loaded=2,
        rejected=1,
        continuation=1,
        message="crm/owners/extract.csv: line 4: TOO MANY COLUMNS: Expected Number of Columns: "
        "3 Found: 4",
        query="select owner_id, name, _source_line from raw.crm__owners order by 1",
        expect=[("O1", "Anna\nSmith", 2), ("O3", "Cleo", 5)],
    ),
    Case(
        # lines 2-4 are one record (line 3, blank, is inside the quotes), line 5 another
        "blank_line_inside_a_quoted_value",
        "crm/owners",
        _b(OWNERS + 'O1,"first line\n\nthird line",SMB\nO2,Bob,SMB\n'),
        loaded=2,
        continuation=2,
        data_lines=4,
        query="select owner_id, name, _source_line from raw.crm__owners order by 1",
        expect=[("O1", "first line\n\nthird line", 2), ("O2", "Bob", 5)],
    ),
    # -- truncation and quoting -----------------------------------------------------------
    Case(
        "truncated_last_line_complete_loads",
        "crm/owners",
        _b(OWNERS + "O1,Anna,SMB\nO2,Bob,Enterprise"),
        loaded=2,
        query="select owner_id, team from raw.crm__owners order by 1",
        expect=[("O1", "SMB"), ("O2", "Enterprise")],
    ),
    Case(
        "truncated_last_line_cut_rejected",
        "crm/owners",
        _b(OWNERS + "O1,Anna,SMB\nO2,Bo"),
        loaded=1,
        rejected=1,
        message="crm/owners/extract.csv: line 3: MISSING COLUMNS: Expected Number of Columns: 3 "
        "Found: 2",
    ),
    Case(
        "unterminated_quote_rejects_the_rest",
        "crm/owners",
        UNTERMINATED,
        loaded=1,
        rejected=2,
        message="crm/owners/extract.csv: line 3: UNQUOTED VALUE: Value with unterminated quote",
        query="select owner_id from raw.crm__owners",
        expect=[("O1",)],
    ),
    # -- numbers --------------------------------------------------------------------------
    Case(
        "decimal_comma_quoted",
        "crm/deals",
        _b(DEALS + deal(amount='"1,5"') + deal("D2", amount="7")),
        loaded=1,
        rejected=1,
        message="crm/deals/extract.csv: line 2: amount: value '1,5' uses a decimal comma; the "
        "contract requires '.'",
    ),
    Case(
        "decimal_comma_unquoted_splits_the_row",
        "crm/deals",
        _b(DEALS + deal(amount="1,5")),
        rejected=1,
        message="crm/deals/extract.csv: line 2: TOO MANY COLUMNS: Expected Number of Columns: 11 "
        "Found: 12",
    ),
    Case(
        "thousand_separator_comma",
        "crm/deals",
        _b(DEALS + deal(amount='"1,000.50"')),
        rejected=1,
        message="crm/deals/extract.csv: line 2: amount: value '1,000.50' uses a thousand separator",
    ),
    Case(
        "thousand_separator_space",
        "crm/deals",
        _b(DEALS + deal(amount="1 000")),
        rejected=1,
        message="crm/deals/extract.csv: line 2: amount: value '1 000' uses a thousand separator",
    ),
    Case(
        "comma_thousands_or_decimal_ambiguous",
        "crm/deals",
        _b(DEALS + deal(amount='"1,000"')),
        rejected=1,
        message="amount: value '1,000' has a ',' that is either a thousand separator or a "
        "decimal comma",
    ),
    Case(
        "not_a_number",
        "crm/deals",
        _b(DEALS + deal(amount="NaN")),
        rejected=1,
        message="crm/deals/extract.csv: line 2: amount: value 'NaN' is not a number",
    ),
    Case(
        "huge_number_beyond_decimal_38_9",
        "crm/deals",
        _b(DEALS + deal(amount="123456789012345678901234567890") + deal("D2", amount="1e40")),
        rejected=2,
        message="crm/deals/extract.csv: line 3: amount: value '1e40' is out of range: "
        "decimal(38, 9)",
    ),
    Case(
        "largest_decimal_kept_exactly",
        "crm/deals",
        _b(DEALS + deal(amount="99999999999999999999999999999.123456789")),
        loaded=1,
        query="select amount::varchar from raw.crm__deals",
        expect=[("99999999999999999999999999999.123456789",)],
    ),
    Case(
        "huge_integer_and_fractional_count",
        "ads/spend",
        _b(SPEND + spend_row(impressions="99999999999999999999") + spend_row(clicks="1.5")),
        rejected=2,
        message="ads/spend/extract.csv: line 2: impressions: value '99999999999999999999' is "
        "out of range",
    ),
    Case(
        "fractional_count_is_not_a_whole_number",
        "ads/spend",
        _b(SPEND + spend_row(clicks="1.5") + spend_row(impressions="12.0")),
        loaded=1,
        rejected=1,
        message="ads/spend/extract.csv: line 2: clicks: value '1.5' is not a whole number",
        query="select impressions, clicks from raw.ads__spend",
        expect=[(12, 7)],
    ),
    # -- dates and times ------------------------------------------------------------------
    Case(
        "ambiguous_date",
        "crm/deals",
        _b(DEALS + deal(close="03/04/2025")),
        rejected=1,
        message="crm/deals/extract.csv: line 2: expected_close_date: value '03/04/2025' is not "
        "an ISO-8601 date (YYYY-MM-DD)",
    ),
    Case(
        "impossible_date",
        "crm/deals",
        _b(DEALS + deal(close="2025-02-30")),
        rejected=1,
        message="expected_close_date: value '2025-02-30' is not an ISO-8601 date (YYYY-MM-DD): "
        "not a valid calendar date",
    ),
    Case(
        "timestamp_with_offset_stored_in_utc",
        "crm/deals",
        _b(DEALS + deal(created="2025-01-01T10:00:00+02:00", updated="2025-01-02T23:30:00-05:30")),
        loaded=1,
        query="select created_at::varchar, updated_at::varchar from raw.crm__deals",
        expect=[("2025-01-01 08:00:00", "2025-01-03 05:00:00")],
    ),
    Case(
        "timestamp_without_offset_is_utc",
        "crm/deals",
        _b(DEALS + deal(created="2025-01-01 10:00:00", updated="2025-01-02")),
        loaded=1,
        query="select created_at::varchar, updated_at::varchar from raw.crm__deals",
        expect=[("2025-01-01 10:00:00", "2025-01-02 00:00:00")],
    ),
    Case(
        "timestamp_in_us_format",
        "crm/deals",
        _b(DEALS + deal(created="01/31/2025 10:00")),
        rejected=1,
        message="created_at: value '01/31/2025 10:00' is not an ISO-8601 timestamp",
    ),
    Case(
        "empty_key",
        "crm/deals",
        _b(DEALS + deal(deal_id="")),
        rejected=1,
        message="crm/deals/extract.csv: line 2: deal_id is empty but the contract requires a value",
    ),
    # -- NUL bytes ------------------------------------------------------------------------
    Case(
        "nul_byte_in_a_value",
        "crm/owners",
        _b(OWNERS) + b"O1,An\x00na,SMB\nO2,Bob,SMB\n",
        loaded=1,
        rejected=1,
        message="crm/owners/extract.csv: line 2: name: the value contains a NUL byte (0x00)",
    ),
    Case(
        "nul_bytes_line",
        "crm/owners",
        _b(OWNERS + "O1,Anna,SMB\n") + b"\x00\x00\x00\x00\n",
        loaded=1,
        rejected=1,
        message="crm/owners/extract.csv: line 3: the line contains a NUL byte (0x00)",
    ),
    # -- compressed and columnar ----------------------------------------------------------
    Case(
        "gzip_csv",
        "crm/owners",
        gzip.compress(_b(OWNERS + "O1,Anna,SMB\nO2,Bob\n"), mtime=0),
        name="extract.csv.gz",
        loaded=1,
        rejected=1,
        message="crm/owners/extract.csv.gz: line 3: MISSING COLUMNS",
    ),
    Case(
        "corrupt_gzip_rejected",
        "crm/owners",
        gzip.compress(_b(OWNERS + "O1,Anna,SMB\n"), mtime=0)[:20],
        name="extract.csv.gz",
        status="rejected",
        message="crm/owners/extract.csv.gz: not a readable gzip file",
        data_lines=0,
    ),
    Case(
        "parquet_typed_columns",
        "crm/deals",
        parquet_deals,
        name="extract.parquet",
        loaded=2,
        data_lines=2,
        query="select deal_id, amount::varchar, created_at::varchar, is_deleted, _source_line "
        "from raw.crm__deals order by 1",
        expect=[
            ("D1", "250.750000000", "2025-01-01 08:00:00", False, 1),
            ("D2", "99.500000000", "2025-01-05 00:00:00", True, 2),
        ],
    ),
    Case(
        "parquet_missing_required_column",
        "crm/owners",
        parquet_owners_without_team,
        name="extract.parquet",
        status="rejected",
        rejected=2,
        data_lines=2,
        message="crm/owners/extract.parquet: line 1: the header lacks required column(s) team",
    ),
    # -- identity and versions (models handle the rest) -----------------------------------
    Case(
        "same_file_relanded_under_new_name",
        "crm/deals",
        DEALS_GOOD,
        name="renamed.csv",
        status="skipped",
        message="same content as crm/deals/first.csv (loaded)",
        pre=(("crm/deals", "first.csv", DEALS_GOOD),),
        query="select count(*) from raw.crm__deals",
        expect=[(1,)],
    ),
    Case(
        "duplicate_rows_both_kept",
        "crm/deals",
        _b(DEALS + deal() + deal()),
        loaded=2,
        query="select deal_id, _source_line from raw.crm__deals order by 2",
        expect=[("D1", 2), ("D1", 3)],
    ),
    Case(
        "redelivered_with_older_updated_at",
        "crm/deals",
        _b(DEALS + deal(stage="appointmentscheduled", updated="2025-01-02T10:00:00Z")),
        name="later_extract.csv",
        loaded=1,
        pre=(("crm/deals", "extract.csv", _b(DEALS + deal(updated="2025-01-05T10:00:00Z"))),),
        query="select stage, updated_at::varchar from raw.crm__deals order by _source_file",
        expect=[
            ("closedwon", "2025-01-05 10:00:00"),
            ("appointmentscheduled", "2025-01-02 10:00:00"),
        ],
    ),
    Case(
        "unknown_stage_label_kept",
        "crm/deal_stage_changes",
        _b(STAGE_CHANGES + "D1,Stage Nobody Mapped,2025-01-03T10:00:00Z\n"),
        loaded=1,
        query="select stage from raw.crm__deal_stage_changes",
        expect=[("Stage Nobody Mapped",)],
    ),
    Case(
        "out_of_order_stage_changes_kept_in_file_order",
        "crm/deal_stage_changes",
        _b(
            STAGE_CHANGES + "D1,closedwon,2025-01-09T10:00:00Z\n"
            "D1,contractsent,2025-01-05T10:00:00Z\n"
            "D1,appointmentscheduled,2025-01-02T10:00:00Z\n"
        ),
        loaded=3,
        query="select stage, _source_line from raw.crm__deal_stage_changes order by changed_at",
        expect=[("appointmentscheduled", 4), ("contractsent", 3), ("closedwon", 2)],
    ),
    Case(
        "same_second_status_changes_kept",
        "crm/lead_status_changes",
        _b(
            STATUS_CHANGES + "L1,salesqualifiedlead,2025-01-03T10:00:00Z\n"
            "L1,marketingqualifiedlead,2025-01-03T10:00:00Z\n"
        ),
        loaded=2,
        query="select status from raw.crm__lead_status_changes order by _source_line",
        expect=[("salesqualifiedlead",), ("marketingqualifiedlead",)],
    ),
    Case(
        "stage_change_before_its_deal_exists",
        "crm/deal_stage_changes",
        _b(STAGE_CHANGES + "D1,contractsent,2024-12-20T10:00:00Z\n"),
        loaded=1,
        pre=(("crm/deals", "deals.csv", DEALS_GOOD),),
        query="select c.changed_at < d.created_at from raw.crm__deal_stage_changes as c "
        "join raw.crm__deals as d using (deal_id)",
        expect=[(True,)],
    ),
    Case(
        "lead_id_referenced_but_never_landed",
        "crm/deals",
        _b(DEALS + deal(lead_id="L404")),
        loaded=1,
        pre=(("crm/leads", "leads.csv", _b(LEADS + "L1,2025-01-01,2025-01-01,,,,,,O1\n")),),
        query="select lead_id from raw.crm__deals",
        expect=[("L404",)],
    ),
    Case(
        "negative_amount_and_refund_kept",
        "payments/invoices",
        _b(INVOICES + invoice() + invoice("I1R", status="refunded", amount="-100")),
        loaded=2,
        query="select invoice_id, status, amount::varchar from raw.payments__invoices order by 1",
        expect=[("I1", "paid", "100.000000000"), ("I1R", "refunded", "-100.000000000")],
    ),
    Case(
        "invoice_without_an_fx_rate",
        "payments/invoices",
        _b(INVOICES + invoice(currency="GBP")),
        loaded=1,
        pre=(("finance/fx_rates", "fx.csv", _b(FX + "2025-01-02,USD,0.92\n")),),
        query="select currency from raw.payments__invoices",
        expect=[("GBP",)],
    ),
    Case(
        "empty_fx_rate_loaded_as_null",
        "finance/fx_rates",
        _b(FX + "2025-01-02,USD,\n"),
        loaded=1,
        query="select currency, rate_to_reporting from raw.finance__fx_rates",
        expect=[("USD", None)],
    ),
    Case(
        "unknown_currency_kept",
        "crm/deals",
        _b(DEALS + deal(currency="XYZ")),
        loaded=1,
        query="select currency from raw.crm__deals",
        expect=[("XYZ",)],
    ),
]


def physical_data_lines(case: Case, raw: bytes) -> int:
    """Non-blank physical lines after the header, counted from the bytes (not the loader)."""
    if case.data_lines is not None:
        return case.data_lines
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    lines = re.split(r"\r\n|\r|\n", raw.decode(case.encoding))
    return sum(1 for line in lines[1:] if line.strip("\ufeff"))


def _ingest(warehouse: Path, landing: Path, entity_path: str):
    return ingest_entity(warehouse, landing, ENTITY_BY_PATH[entity_path])


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input(case: Case, landing: Path, warehouse: Path) -> None:
    for entity_path, name, data in case.pre:
        write_landed(landing, entity_path, name, data)
        before = _ingest(warehouse, landing, entity_path)
        assert before.rows_rejected == 0 and before.accounting_problems == []

    raw = case.data() if callable(case.data) else case.data
    write_landed(landing, case.entity, case.name, raw)
    report = _ingest(warehouse, landing, case.entity)
    relative = f"{case.entity}/{case.name}"
    [result] = [r for r in report.results if r.relative_path == relative]

    assert result.status == case.status, result.message
    assert (result.rows_loaded, result.rows_rejected, result.continuation_lines) == (
        case.loaded,
        case.rejected,
        case.continuation,
    ), result.reject_examples or result.message
    assert report.accounting_problems == []

    # nothing is lost: data lines counted here = loaded + rejected (+ continuation lines)
    data_lines = physical_data_lines(case, raw)
    with open_read_only(warehouse) as con:
        manifest = con.execute(
            "select status, rows_in, rows_loaded, rows_rejected, continuation_lines, message "
            "from raw._load_manifest where file_hash = ?",
            [result.file_hash],
        ).fetchone()
        rejected_lines = con.execute(
            "select coalesce(sum(lines_spanned), 0), count(*) filter (where source_file != ?) "
            "from raw._rejected_rows where file_hash = ?",
            [relative, result.file_hash],
        ).fetchone()
        rows = con.execute(case.query).fetchall() if case.query else None
    assert manifest is not None
    status, rows_in, loaded, rejected, continuation, message = manifest
    assert rows_in == data_lines == loaded + rejected + continuation
    if case.status == "skipped":
        assert (status, result.rows_in) == ("loaded", 0)  # the first copy accounted for them
    else:
        assert (status, loaded, rejected) == (case.status, case.loaded, case.rejected)
        assert rejected_lines == (rejected, 0)

    if case.status == "loaded":
        assert message is None
        assert case.message or not case.rejected, "a case with row rejects names one"
        if case.message:
            assert any(case.message in m for m in result.reject_examples), result.reject_examples
            assert all(m.startswith(f"{relative}: line ") for m in result.reject_examples)
    else:
        assert case.message and result.message and case.message in result.message
        if case.status == "rejected":
            assert result.message.startswith(relative) and message == result.message
    if case.query:
        assert rows == case.expect


# -- the dbt tests that catch what ingestion keeps ------------------------------------------

DIRTY_LANDING = {
    # the same deal re-delivered, in a later file, with an older updated_at
    ("crm/deals", "a.csv"): DEALS + deal(updated="2025-01-05T10:00:00Z"),
    ("crm/deals", "b.csv"): DEALS
    + deal(stage="appointmentscheduled", updated="2025-01-02T10:00:00Z"),
    # an unmapped label, and the same change landed twice
    ("crm/deal_stage_changes", "a.csv"): STAGE_CHANGES
    + "D1,Stage Nobody Mapped,2025-01-03T10:00:00Z\n"
    + "D1,closedwon,2025-01-04T10:00:00Z\n" * 2,
    ("payments/customers", "a.csv"): (
        "customer_id,email,company_domain,crm_account_id,created_at\nC1,a@x.io,x.io,A1,2025-01-01\n"
    ),
    # paid invoices in a currency without a rate (GBP) and in an unknown currency (XYZ)
    ("payments/invoices", "a.csv"): INVOICES
    + invoice(currency="GBP")
    + invoice("I2", currency="XYZ"),
    ("finance/fx_rates", "a.csv"): FX + "2025-01-02,USD,0.92\n",
}
#: dbt next to this Python (importing orchestration.dbt_project would load dagster-dbt)
DBT = Path(sys.executable).parent / "dbt"
DBT_SELECT = "+int_payments_invoice_mrr +stg_crm__deal_stage_changes +stg_crm__deals"


@dataclass(frozen=True)
class DbtBuild:
    warehouse: Path
    output: str
    results: dict[str, dict]

    def result(self, test_prefix: str) -> dict:
        [found] = [r for uid, r in self.results.items() if uid.startswith(test_prefix)]
        return found

    def query(self, sql: str) -> list[tuple]:
        with open_read_only(self.warehouse) as con:
            return con.execute(sql).fetchall()


@pytest.fixture(scope="module")
def dirty_build(tmp_path_factory: pytest.TempPathFactory) -> DbtBuild:
    root = tmp_path_factory.mktemp("dirty_build")
    landing, warehouse = root / "landing", root / "warehouse" / "funnel.duckdb"
    for (entity_path, name), text in DIRTY_LANDING.items():
        write_landed(landing, entity_path, name, text)
    for entity in ENTITIES:
        report = ingest_entity(warehouse, landing, entity)
        assert report.rows_rejected == 0 and report.accounting_problems == []
    env = {**os.environ, "FUNNEL_WAREHOUSE": str(warehouse)}
    env.update(DO_NOT_TRACK="1", DBT_SEND_ANONYMOUS_USAGE_STATS="false")
    target = root / "target"
    done = subprocess.run(
        [
            str(DBT) if DBT.exists() else "dbt",
            "build",
            *("--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)),
            *("--target-path", str(target), "--log-path", str(root / "logs")),
            *("--select", *DBT_SELECT.split()),
            *("--exclude", "test_type:unit", "--indirect-selection", "cautious"),
            *("--threads", "4"),
        ],
        cwd=PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    run_results = target / "run_results.json"
    assert run_results.exists(), done.stdout + done.stderr
    results = json.loads(run_results.read_text(encoding="utf-8"))["results"]
    return DbtBuild(warehouse, done.stdout, {r["unique_id"]: r for r in results})


def test_dirty_rows_fail_the_named_dbt_tests(dirty_build: DbtBuild) -> None:
    labels = dirty_build.result(
        "test.funnel_warehouse.all_stage_labels_mapped_stg_crm__deal_stage_"
    )
    assert (labels["status"], labels["failures"]) == ("fail", 1)
    assert (
        "Unmapped CRM label in stg_crm__deal_stage_changes.stage_label: source_system=hubspot "
        "label='Stage Nobody Mapped' (1 rows)" in dirty_build.output
    )

    fx = dirty_build.result("test.funnel_warehouse.missing_fx_rates_int_payments_invoice_mrr_")
    assert (fx["status"], fx["failures"]) == ("fail", 2)
    missing = dirty_build.query(f"select currency, rate_date::varchar from ({fx['compiled_code']})")
    # paid on 2025-01-02: the day whose rate converts the invoice
    assert sorted(missing) == [("GBP", "2025-01-02"), ("XYZ", "2025-01-02")]

    # the older re-delivery does not win; the duplicate change collapses
    assert dirty_build.query(
        "select deal_id, stage_label, updated_at::varchar from staging.stg_crm__deals"
    ) == [("D1", "closedwon", "2025-01-05 10:00:00")]
    assert dirty_build.query(
        "select stage_label, is_stage_mapped from staging.stg_crm__deal_stage_changes "
        "order by changed_at"
    ) == [("Stage Nobody Mapped", False), ("closedwon", True)]
    # their keys hold: model_checks of each (deal_id; deal_id, changed_at, stage_label)
    passed = {
        uid: r["status"]
        for uid, r in dirty_build.results.items()
        if uid.split(".")[2]
        in ("model_checks_stg_crm__deal_stage_changes", "model_checks_stg_crm__deals")
    }
    assert len(passed) == 2 and set(passed.values()) == {"pass"}, passed
