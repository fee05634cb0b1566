"""Equivalence oracle: the same generated world landed as canonical files and as Salesforce
files (Data Export CSVs, `funnel generate --format salesforce`) gives identical marts, table by
table, except the columns a system cannot carry (tests/native_equivalence.py, README "Bring
your CRM") and with the `salesforce:` id prefix stripped. Then a mixed landing: the canonical
world and a hand-made Salesforce org in one folder give one funnel whose rows keep their
source_system.

400 leads, seed 16 (as the HubSpot oracle): at that scale seed 42 has no deleted deal, seed 16
has one besides stage skips, regressions, reopens, sales-sourced deals, upsells (a second deal
on a won account), leads with two deals (a lost lead re-engaged: its second deal reaches
Salesforce through an OpportunityContactRole on the lead's converted contact) and four
currencies, so every edge of the generator is asserted present (below) and compared.
One dbt build of its own: the canonical build is shared with the HubSpot oracle (conftest's
canonical_world), and so is the mixed one (conftest's mixed_world: the canonical world, this
Salesforce org and the HubSpot oracle's dump in one landing folder).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from orchestration.sample_data import generate_landing
from orchestration.warehouse import copy_warehouse
from tests.build_files import open_read_only
from tests.dbt_cli import run_dbt
from tests.native_equivalence import AS_OF, LEADS, WORLD, build_world, compare


@pytest.fixture(scope="module")
def builds(
    tmp_path_factory: pytest.TempPathFactory,
    canonical_world: tuple[Path, Path],
    mixed_world: Path,
) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("salesforce_equivalence")
    _, canonical_warehouse = canonical_world
    salesforce = root / "salesforce" / "landing"
    generate_landing(salesforce, **WORLD, formats=["salesforce"])
    return {
        "canonical": canonical_warehouse,
        "salesforce": build_world(
            root / "salesforce",
            salesforce,
            {"FUNNEL_AS_OF_DATE": AS_OF, "FUNNEL_TOUCHPOINTS_LEAD_SYSTEM": "salesforce"},
        ),
        "mixed": mixed_world,
        "salesforce_landing": salesforce,
    }


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    with open_read_only(warehouse) as con:
        return con.execute(sql).fetchall()


def test_the_world_has_the_generator_edges(builds: dict[str, Path]) -> None:
    [(skips, regressions, reopens, sales_sourced)] = _rows(
        builds["canonical"],
        "select sum(skip_count), sum(regression_count), sum(reopen_count), "
        "count(*) filter (where is_sales_sourced) from marts.fct_funnel",
    )
    assert skips > 0 and regressions > 0 and reopens > 0 and sales_sourced > 0
    [(currencies, deleted)] = _rows(
        builds["canonical"],
        "select count(distinct currency), count(*) filter (where is_deleted) "
        "from staging.stg_crm__deals",
    )
    assert currencies > 1 and deleted > 0
    # several deals per customer: the generator's upsell, a second deal on a won account
    [(upsold_accounts,)] = _rows(
        builds["canonical"],
        "select count(*) from (select account_id from staging.stg_crm__deals "
        "group by account_id having count(*) filter (where deal_name like '% - Seat expansion') "
        "> 0 and count(*) > 1)",
    )
    assert upsold_accounts > 0
    # several deals per lead: a lost lead re-engaged months later with a deal of its own
    [(leads_with_deals, leads_with_two_deals, later_deals)] = _rows(
        builds["canonical"],
        "select count(*), count(*) filter (where deals > 1), sum(deals - 1) from (select "
        "lead_id, count(*) as deals from staging.stg_crm__deals where lead_id is not null "
        "group by lead_id)",
    )
    assert leads_with_two_deals > 0
    # on the Salesforce side a lead converts into its first opportunity only; each later one
    # is linked through its primary contact role (int_salesforce__deal_leads)
    assert _rows(
        builds["salesforce"],
        "select count(*) filter (where link_rule = 'converted_opportunity'), "
        "count(*) filter (where link_rule = 'primary_contact') "
        "from intermediate.int_salesforce__deal_leads",
    ) == [(leads_with_deals, later_deals)]
    two_deal_entities = "select count(*) from marts.fct_funnel where deal_count > 1"
    [(entities,)] = _rows(builds["canonical"], two_deal_entities)
    assert entities > 0 and _rows(builds["salesforce"], two_deal_entities) == [(entities,)]
    # the deleted deal reaches the Salesforce side as an IsDeleted Opportunity, flagged there
    [(deleted_opportunities,)] = _rows(
        builds["salesforce"],
        "select count(*) from staging.stg_salesforce__opportunities where is_deleted",
    )
    assert deleted_opportunities == deleted
    # nothing of the world stays in canonical CRM files in the Salesforce shape
    assert not (builds["salesforce_landing"] / "crm").exists()
    assert _rows(builds["salesforce"], "select count(*) from staging.stg_crm__leads") == [(0,)]


def test_same_world_same_marts(builds: dict[str, Path]) -> None:
    tables, differences = compare(builds["canonical"], builds["salesforce"], "salesforce")
    assert len(tables) >= 20
    assert differences == []
    # the comparison is not vacuous: the funnel has rows, all from Salesforce
    [(rows, systems)] = _rows(
        builds["salesforce"],
        "select count(*), list(distinct source_system) from marts.fct_funnel",
    )
    assert rows > LEADS / 2 and systems == ["salesforce"]


def test_mixed_landing_is_one_funnel(builds: dict[str, Path]) -> None:
    canonical = _rows(builds["canonical"], "select * from marts.fct_funnel order by all")
    # the mixed landing holds the HubSpot oracle's dump too (conftest's mixed_world): the
    # native entities are told apart by their id prefix
    mixed = _rows(
        builds["mixed"],
        "select * from marts.fct_funnel where funnel_entity_id not like 'salesforce:%' "
        "and funnel_entity_id not like 'hubspot:%' order by all",
    )
    assert mixed == canonical
    # the hand-made org's three funnel entities (tests/test_salesforce_fixtures.py) join them
    assert _rows(
        builds["mixed"],
        "select funnel_entity_id, current_stage_key from marts.fct_funnel "
        "where source_system = 'salesforce' order by 1",
    ) == [
        ("salesforce:006B", "opportunity"),
        ("salesforce:00Q1", "won"),
        ("salesforce:00Q2", "mql"),
    ]


CHECK = "assert_touchpoints_use_their_crms_lead_ids"


def _touchpoints_rebuilt_with(
    warehouse: Path, lead_system: str, workdir: Path
) -> subprocess.CompletedProcess[str]:
    """A copy of ``warehouse`` whose touchpoints are rebuilt under another setting of
    touchpoints_lead_system, then the check that touchpoints find their CRM's leads."""
    workdir.mkdir(parents=True)
    copy = workdir / "funnel.duckdb"
    copy_warehouse(warehouse, copy)
    variables = f"{{touchpoints_lead_system: '{lead_system}'}}"
    args = ["build", "--select", "stg_web__touchpoints", CHECK, "--full-refresh"]
    return run_dbt([*args, "--vars", variables], copy, workdir)


def test_touchpoints_with_the_wrong_lead_system_fail_the_build(
    builds: dict[str, Path], canonical_world: tuple[Path, Path], tmp_path: Path
) -> None:
    # Salesforce leads, the var not set: no touchpoint would find its lead, attribution empty
    unset = _touchpoints_rebuilt_with(builds["salesforce"], "", tmp_path / "unset")
    assert unset.returncode != 0
    assert f"Failure in test {CHECK}" in unset.stdout, unset.stdout[-3000:]
    # canonical leads, the var set to salesforce: the same silent mismatch the other way
    wrong = _touchpoints_rebuilt_with(canonical_world[1], "salesforce", tmp_path / "wrong")
    assert wrong.returncode != 0
    assert f"Failure in test {CHECK}" in wrong.stdout, wrong.stdout[-3000:]
