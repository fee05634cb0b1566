"""Native systems with nothing to read are left out of `funnel build`
(orchestration/idle_systems.py), and the marts stay those of a build with every system.

The rule is checked on a hand-made project, landing folder and warehouse; the build on the CRM
oracles' canonical world (conftest's canonical_world, built by `dbt build` with every native
system enabled), landed again and built by `funnel build`, which leaves all six out.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb
import pytest

from orchestration.idle_systems import IDLE_SYSTEMS_VARIABLE, idle_systems
from orchestration.landed_entities import LANDED_ENTITIES
from orchestration.publishing.serving_file import current_serving_version
from orchestration.runner.nightly import run_build
from tests.build_files import open_read_only
from tests.native_equivalence import AS_OF
from tests.operations import table_hashes

PROJECT = """
name: tiny
vars:
  native_crm_systems: [salesforce, hubspot]
  native_billing_systems: [stripe]
  native_ad_platforms: [google_ads, meta_ads, linkedin_ads]
  salesforce_schema: raw
  hubspot_schema: fivetran_hubspot
"""


def _raw_table(system: str) -> str:
    return next(e.raw_table for e in LANDED_ENTITIES if e.source == system)


def test_a_system_is_idle_without_landed_files_raw_rows_or_a_loaders_schema(
    tmp_path: Path,
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "dbt_project.yml").write_text(PROJECT, encoding="utf-8")
    landing = tmp_path / "landing"
    # google_ads: one file landed (not loaded yet: the build must still build it)
    (landing / "google_ads" / "campaign_stats").mkdir(parents=True)
    (landing / "google_ads" / "campaign_stats" / "stats.csv").write_text("x\n", encoding="utf-8")
    # linkedin_ads: an empty folder only
    (landing / "linkedin_ads").mkdir()
    warehouse = tmp_path / "w.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema raw")
        # stripe: a row in raw (its files moved away); meta_ads: a table without rows
        con.execute(f'create table raw."{_raw_table("stripe")}" (x integer)')
        con.execute(f'insert into raw."{_raw_table("stripe")}" values (1)')
        con.execute(f'create table raw."{_raw_table("meta_ads")}" (x integer)')

    # hubspot reads a loader's schema; google_ads has a file; stripe has a raw row
    assert idle_systems(project, landing, warehouse) == ["salesforce", "meta_ads", "linkedin_ads"]
    # no warehouse yet: only the landing folder and the schemas count
    assert idle_systems(project, landing, tmp_path / "none.duckdb") == [
        "salesforce",
        "stripe",
        "meta_ads",
        "linkedin_ads",
    ]


def test_a_canonical_build_leaves_the_native_systems_out_with_the_same_marts(
    tmp_path: Path,
    canonical_world: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    canonical_landing, every_system = canonical_world
    landing = tmp_path / "landing"
    shutil.copytree(canonical_landing, landing)
    warehouse = tmp_path / "warehouse" / "funnel.duckdb"
    monkeypatch.setenv("FUNNEL_AS_OF_DATE", AS_OF)
    said: list[str] = []

    summary = run_build(landing, warehouse, tmp_path / "serving", progress=said.append)

    assert summary.success, summary.lines()
    # the version the serving file holds (the report's materialization, which comes after the
    # serving file's and names no version, once made this "None")
    assert summary.published_version == current_serving_version(tmp_path / "serving")
    assert f"published version: {summary.published_version}" in summary.lines()
    assert (
        "native systems with nothing landed, not built: "
        "salesforce, hubspot, stripe, google_ads, meta_ads, linkedin_ads"
    ) in said
    with open_read_only(warehouse) as con:
        built = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables "
                "where table_schema in ('staging', 'intermediate')"
            ).fetchall()
        }
    assert "stg_crm__leads" in built and "int_conformed__leads" in built
    native = ("salesforce", "hubspot", "stripe", "google_ads", "meta_ads", "linkedin_ads")
    assert [t for t in built if any(f"_{system}__" in t for system in native)] == []
    assert "int_ads__spend" not in built
    # nor are their landed objects ingested: the run leaves their raw assets out, so no raw
    # table of theirs is made, while every canonical entity has its own
    with open_read_only(warehouse) as con:
        raw = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        }
    assert {e.raw_table for e in LANDED_ENTITIES if e.source in native} & raw == set()
    assert {e.raw_table for e in LANDED_ENTITIES if not e.native} <= raw
    # the same marts as the build of every system, table by table
    assert table_hashes(warehouse) == table_hashes(every_system)
    # the setting is the build's own: nothing is left behind in this process
    assert IDLE_SYSTEMS_VARIABLE not in os.environ


def test_the_dbt_steps_run_config_needs_no_manifest() -> None:
    """A parse that left idle systems out is not copied to target/manifest.json, which a fresh
    checkout lacks: the run config must name the dbt op without reading any manifest."""
    from orchestration.defs.assets.dbt import DBT_OP_NAME, dbt_run_config, funnel_dbt_assets

    assert list(dbt_run_config(full_refresh=False)) == [DBT_OP_NAME]
    # the name the run config uses is the op's (its config would be ignored otherwise)
    assert funnel_dbt_assets().op.name == DBT_OP_NAME
