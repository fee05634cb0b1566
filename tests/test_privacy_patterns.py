"""Privacy by pattern (issue 12): an e-mail address or a phone number typed into any free-text
column (a domain, a name, a team, a job title, a campaign, a keyword, an id ...) never reaches
a mart or the serving file; its row stays, with the value replaced by redacted-<hash>.

A small generated sample is built once with planted rows that carry e-mails and phones in
several columns of several entities. Each planted value is looked for in every text column of
every mart; and every text column of every mart table and of the serving file is scanned by
pattern (written here in Python, independently of the SQL macro), so values nobody planted
are caught too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from orchestration.publishing.serving_file import SERVING_NAME
from tests.build_files import marts_file_of, open_read_only
from tests.conftest import materialize_everything, write_landed

#: an e-mail address anywhere in a value
EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
#: a run that could be a phone number: '+' or a digit, then digits and separators
PHONE_RUN = re.compile(r"\+?\(?\d[\d ().-]{6,}\d")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def looks_like_pii(value: str) -> bool:
    """An e-mail, or a phone number: with '+' 8 to 15 digits, else 9 to 15 digits in at least
    three groups (so ids such as 1001001, dates and decimals are not phones)."""
    if EMAIL.search(value):
        return True
    for run in PHONE_RUN.findall(ISO_DATE.sub(" ", value)):
        digits = sum(ch.isdigit() for ch in run)
        groups = [g for g in re.split(r"[ ().-]+", run.lstrip("+")) if g]
        if run.startswith("+") and 8 <= digits <= 15:
            return True
        if 9 <= digits <= 15 and len(groups) >= 3:
            return True
    return False


@dataclass(frozen=True)
class Planted:
    case: str
    #: the value that must not reach a mart
    value: str
    #: the staging model and key where the row must still be, with the column redacted
    staging: tuple[str, str, str, str]


LEAD = "LP0001"
OWNER = "OP0001"
DEAL = "DP0001"
PLANTED = [
    Planted(
        "an e-mail in payments/customers.company_domain",
        "jane.doe@planted-mail.com",
        ("stg_payments__customers", "customer_id", "CP0001", "company_domain"),
    ),
    Planted(
        "an e-mail in crm/leads.company_domain",
        "sales@acme-planted.io",
        ("stg_crm__leads", "lead_id", LEAD, "company_domain"),
    ),
    Planted(
        "a phone in crm/leads.job_title",
        "+49 30 1234 5678",
        ("stg_crm__leads", "lead_id", LEAD, "job_title"),
    ),
    Planted(
        "a phone in crm/leads.industry",
        "(555) 123-4567",
        ("stg_crm__leads", "lead_id", LEAD, "industry"),
    ),
    Planted(
        "an e-mail in crm/leads.campaign",
        "promo.j.smith@gmail.com",
        ("stg_crm__leads", "lead_id", LEAD, "lead_campaign"),
    ),
    Planted(
        "an e-mail as crm/leads.lead_id",
        "lead.as.email@planted.com",
        ("stg_crm__leads", "lead_source", "plantedsource", "lead_id"),
    ),
    Planted(
        "a phone in crm/owners.name",
        "+44 20 7946 0958",
        ("stg_crm__owners", "owner_id", OWNER, "owner_name"),
    ),
    Planted(
        "an e-mail in crm/owners.team",
        "team.lead@planted-team.com",
        ("stg_crm__owners", "owner_id", OWNER, "team"),
    ),
    Planted(
        "an e-mail in crm/deals.account_name",
        "ceo@planted-corp.com",
        ("stg_crm__deals", "deal_id", DEAL, "account_name"),
    ),
    Planted(
        "a phone in crm/deals.deal_name",
        "555.987.6543",
        ("stg_crm__deals", "deal_id", DEAL, "deal_name"),
    ),
    Planted(
        "an e-mail in web/touchpoints.keyword",
        "kw.person@planted.net",
        ("stg_web__touchpoints", "touchpoint_id", "TP0001", "keyword"),
    ),
    Planted(
        "a phone in web/touchpoints.campaign",
        "+380 50 123 4567",
        ("stg_web__touchpoints", "touchpoint_id", "TP0001", "touch_campaign"),
    ),
    Planted(
        "an e-mail in ads/spend.utm_campaign",
        "ads.person@planted.com",
        ("stg_ads__spend", "ad_group", "planted", "utm_campaign"),
    ),
    Planted(
        "a phone in ads/spend.keyword",
        "+1-555-123-4567",
        ("stg_ads__spend", "ad_group", "planted", "keyword"),
    ),
]

FILES = {
    "payments/customers": (
        "customer_id,email,company_domain,crm_account_id,created_at\n"
        "CP0001,billing@planted-match.com,jane.doe@planted-mail.com,,2025-03-01T10:00:00Z\n"
    ),
    "crm/leads": (
        "lead_id,created_at,updated_at,email,company_domain,source,medium,campaign,owner_id,"
        "job_title,industry\n"
        f"{LEAD},2025-03-01T10:00:00Z,2025-03-01T10:00:00Z,lead@planted-match.com,"
        "sales@acme-planted.io,google,cpc,promo.j.smith@gmail.com,"
        f'{OWNER},+49 30 1234 5678,"(555) 123-4567"\n'
        "lead.as.email@planted.com,2025-03-02T10:00:00Z,2025-03-02T10:00:00Z,,,plantedsource,referral,,"
        f"{OWNER},,\n"
    ),
    "crm/lead_status_changes": (
        "lead_id,status,changed_at,source_system\n"
        f"{LEAD},Lead,2025-03-01T10:00:00Z,hubspot\n"
        "lead.as.email@planted.com,Lead,2025-03-02T10:00:00Z,hubspot\n"
    ),
    "crm/owners": (f"owner_id,name,team\n{OWNER},+44 20 7946 0958,team.lead@planted-team.com\n"),
    "crm/deals": (
        "deal_id,lead_id,account_id,owner_id,stage,amount,currency,expected_close_date,"
        "created_at,updated_at,is_deleted,deal_name,account_name,account_domain,source_system\n"
        f"{DEAL},{LEAD},AP0001,{OWNER},appointmentscheduled,1000.00,EUR,2025-06-01,"
        "2025-03-05T10:00:00Z,2025-03-05T10:00:00Z,false,555.987.6543,ceo@planted-corp.com,"
        "planted-match.com,hubspot\n"
    ),
    "web/touchpoints": (
        "touchpoint_id,lead_id,occurred_at,source,medium,campaign,keyword,touch_type\n"
        f"TP0001,{LEAD},2025-02-28T10:00:00Z,google,cpc,+380 50 123 4567,kw.person@planted.net,"
        "click\n"
        "TP0002,lead.as.email@planted.com,2025-03-01T10:00:00Z,google,cpc,brand,x,click\n"
    ),
    "ads/spend": (
        "date,platform,account_id,campaign_id,campaign_name,ad_group,keyword,utm_source,"
        "utm_medium,utm_campaign,spend,currency,impressions,clicks\n"
        "2025-03-01,google_ads,123-456-7890,1009999,Planted,planted,+1-555-123-4567,google,cpc,"
        "ads.person@planted.com,10.00,EUR,100,3\n"
    ),
}


@dataclass(frozen=True)
class Build:
    warehouse: Path
    serving_file: Path
    success: bool


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path) -> Iterator[Build]:
    from orchestration.sample_data import generate_landing

    root = tmp_path_factory.mktemp("privacy")
    landing = root / "landing"
    generate_landing(landing, leads=200, seed=5)
    for entity_path, text in FILES.items():
        write_landed(landing, entity_path, "planted_pii.csv", text)
    warehouse = root / "warehouse" / "funnel.duckdb"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FUNNEL_AS_OF_DATE", "2026-01-15")
        result = materialize_everything(landing, warehouse)
        yield Build(warehouse, root / "serving" / SERVING_NAME, result.success)


def _text_columns(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    return con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts' and data_type = 'VARCHAR' order by 1, 2"
    ).fetchall()


def test_the_build_with_planted_values_publishes(build: Build) -> None:
    assert build.success
    assert build.serving_file.exists()


@pytest.mark.parametrize("planted", PLANTED, ids=[p.case for p in PLANTED])
def test_a_planted_value_is_redacted_and_its_row_stays(build: Build, planted: Planted) -> None:
    model, key_column, key, column = planted.staging
    with open_read_only(build.warehouse) as con:
        kept = con.execute(
            f"select {column} from staging.{model} where {key_column} = ?", [key]
        ).fetchall()
        assert len(kept) == 1, f"{planted.case}: the row of {model} is gone"
        assert kept[0][0].lower().startswith("redacted-"), kept
        for database in (marts_file_of(build.warehouse), build.serving_file):
            con.execute(f"attach '{database}' as scanned (read_only)")
            try:
                for table, text_column in _text_columns(con):
                    leaks = con.execute(
                        f'select count(*) from scanned.marts."{table}" '
                        f'where contains(lower("{text_column}"), lower(?))',
                        [planted.value],
                    ).fetchone()
                    assert leaks == (0,), f"{database.name}: {table}.{text_column} has it"
            finally:
                con.execute("detach scanned")


@pytest.mark.parametrize("where", ["warehouse", "serving file"])
def test_no_text_column_of_any_mart_holds_an_email_or_a_phone(build: Build, where: str) -> None:
    database = build.warehouse if where == "warehouse" else build.serving_file
    with open_read_only(database) as con:
        columns = _text_columns(con)
        assert len(columns) > 50
        scanned = 0
        for table, column in columns:
            values = con.execute(
                f'select distinct "{column}" from marts."{table}" where "{column}" is not null'
            ).fetchall()
            scanned += len(values)
            leaks = [v for (v,) in values if looks_like_pii(v)]
            assert leaks == [], f"{where}: {table}.{column} holds {leaks[:3]}"
    assert scanned > 1000


def test_the_pattern_checker_itself_catches_what_it_must() -> None:
    """The scan above is only as good as looks_like_pii: it finds every planted value, and it
    lets the sample's ids, dates and labels through."""
    for planted in PLANTED:
        assert looks_like_pii(planted.value), planted.value
        assert looks_like_pii(f"call {planted.value} today"), planted.value
    for value in ["L0000001", "1001001", "INV-0000034-001", "2025-07-01", "webinar_2025_01"]:
        assert not looks_like_pii(value), value
    for value in ["2025-07-01 10:00:00", "Brand | Search", "acme.com", "31500.000000000"]:
        assert not looks_like_pii(value), value


def test_a_lead_keyed_by_an_email_keeps_its_touches_and_status(build: Build) -> None:
    """An id that is an e-mail becomes the same token everywhere, so its rows still join."""
    with open_read_only(build.warehouse) as con:
        (token,) = con.execute(
            "select lead_id from staging.stg_crm__leads where lead_source = 'plantedsource'"
        ).fetchone()
        assert token.startswith("redacted-")
        assert con.execute(
            "select count(*) from staging.stg_web__touchpoints where lead_id = ?", [token]
        ).fetchone() == (1,)
        assert con.execute(
            "select count(*) from marts.fct_funnel where funnel_entity_id = ?", [token]
        ).fetchone() == (1,)


def test_payment_customers_still_match_by_the_email_they_landed_with(build: Build) -> None:
    """payments/customers.email is hashed and its domain kept (not redacted before): the
    planted customer's e-mail domain is there, and no address is."""
    with open_read_only(build.warehouse) as con:
        row = con.execute(
            "select email_domain from marts.dim_payment_customers where customer_id = 'CP0001'"
        ).fetchall()
    assert row == [("planted-match.com",)]
