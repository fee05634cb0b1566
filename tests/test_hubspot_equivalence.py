"""Equivalence oracle: the same generated world landed as canonical files and as a HubSpot dump
(`funnel generate --format hubspot`) gives identical marts, table by table, except the columns
a system cannot carry (tests/native_equivalence.py, README "Bring your CRM") and with the
`hubspot:` id prefix stripped. Then a mixed landing: the canonical world and the hand-made HubSpot
dump (tests/fixtures/hubspot_dump) in one folder give one funnel.

400 leads as the Salesforce oracle, seed 16: at that scale seed 42 has no deleted deal, seed 16
has one besides stage skips, regressions, reopens, sales-sourced deals, leads with two deals
(a lost lead re-engaged) and four currencies (asserted below). One dbt build of its own: the
canonical one is conftest's canonical_world, shared with the Salesforce oracle, and so is the
mixed one (conftest's mixed_world: the canonical world, this dump and the Salesforce oracle's
hand-made org in one landing folder).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from orchestration.sample_data import generate_landing
from tests.build_files import open_read_only
from tests.native_equivalence import AS_OF, LEADS, WORLD, build_world, compare


@pytest.fixture(scope="module")
def builds(
    tmp_path_factory: pytest.TempPathFactory,
    canonical_world: tuple[Path, Path],
    mixed_world: Path,
) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("hubspot_equivalence")
    _, canonical_warehouse = canonical_world
    hubspot = root / "hubspot" / "landing"
    generate_landing(hubspot, **WORLD, formats=["hubspot"])
    env = {"FUNNEL_AS_OF_DATE": AS_OF, "FUNNEL_TOUCHPOINTS_LEAD_SYSTEM": "hubspot"}
    return {
        "canonical": canonical_warehouse,
        "hubspot": build_world(root / "hubspot", hubspot, env),
        "mixed": mixed_world,
        "hubspot_landing": hubspot,
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
    # several deals per lead: a lost lead re-engaged months later with a deal of its own, each
    # deal associated with the lead's contact (deal_contact), one funnel entity on both sides
    [(leads_with_two_deals,)] = _rows(
        builds["canonical"],
        "select count(*) from (select lead_id from staging.stg_crm__deals "
        "where lead_id is not null group by lead_id having count(*) > 1)",
    )
    assert leads_with_two_deals > 0
    two_deal_entities = "select count(*) from marts.fct_funnel where deal_count > 1"
    assert _rows(builds["hubspot"], two_deal_entities) == _rows(
        builds["canonical"], two_deal_entities
    )
    assert _rows(builds["canonical"], two_deal_entities)[0][0] > 0
    # nothing of the world but quotas stays in canonical CRM files in the HubSpot shape
    landing = builds["hubspot_landing"]
    assert [p.name for p in (landing / "crm").iterdir()] == ["quotas"]
    assert _rows(builds["hubspot"], "select count(*) from staging.stg_crm__leads") == [(0,)]
    # the HubSpot side exercises its own paths: two pipelines, stage ids mapped by id, by label
    # and by the dictionary's closed flags, both history tables, lifecycle stages set by deals
    assert _rows(
        builds["hubspot"],
        "select count(distinct pipeline_id), count(*) filter (where not is_stage_in_dictionary) "
        "from intermediate.int_hubspot__deals",
    ) == [(2, 0)]
    [(renewed,)] = _rows(
        builds["hubspot"],
        "select stage_key from intermediate.int_hubspot__deal_stages where stage_label = 'Renewed'",
    )
    assert renewed == "won"
    [(by_deal_stage, by_property, kept)] = _rows(
        builds["hubspot"],
        "select (select count(*) from staging.stg_hubspot__deal_stage_history), "
        "(select count(*) from staging.stg_hubspot__deal_property_history), "
        "(select count(*) from intermediate.int_hubspot__deal_stage_changes)",
    )
    assert by_deal_stage == by_property == kept > 0
    [(set_by_deals,)] = _rows(
        builds["hubspot"],
        "select count(*) from staging.stg_hubspot__contact_property_history "
        "where property_value in ('opportunity', 'customer')",
    )
    assert set_by_deals > 0


def test_same_world_same_marts(builds: dict[str, Path]) -> None:
    tables, differences = compare(builds["canonical"], builds["hubspot"], "hubspot")
    assert len(tables) >= 20
    assert differences == []
    # the comparison is not vacuous: the funnel has rows, all from HubSpot
    [(rows, systems, prefixed)] = _rows(
        builds["hubspot"],
        "select count(*), list(distinct source_system), "
        "count(*) filter (where funnel_entity_id like 'hubspot:%') from marts.fct_funnel",
    )
    assert rows > LEADS / 2 and systems == ["hubspot"] and prefixed == rows


def test_mixed_landing_is_one_funnel(builds: dict[str, Path]) -> None:
    # canonical rows may name HubSpot as their CRM too (source_system 'hubspot'): the native
    # ones are told apart by their id prefix (the mixed landing holds the Salesforce oracle's
    # hand-made org too: conftest's mixed_world)
    canonical = _rows(builds["canonical"], "select * from marts.fct_funnel order by all")
    mixed = _rows(
        builds["mixed"],
        "select * from marts.fct_funnel where funnel_entity_id not like 'hubspot:%' "
        "and funnel_entity_id not like 'salesforce:%' order by all",
    )
    assert mixed == canonical
    # the hand-made dump's three funnel entities (tests/test_hubspot_fixture.py) join them
    assert _rows(
        builds["mixed"],
        "select funnel_entity_id, source_system, furthest_stage_key, is_sales_sourced "
        "from marts.fct_funnel where funnel_entity_id like 'hubspot:%' order by 1",
    ) == [
        ("hubspot:101", "hubspot", "won", False),
        ("hubspot:102", "hubspot", "won", False),
        ("hubspot:503", "hubspot", "opportunity", True),
    ]
