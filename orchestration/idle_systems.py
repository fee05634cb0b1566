"""Native systems with nothing to read: their models and tests are left out of the build.

Every native system (Salesforce, HubSpot, Stripe, the ad platforms) has its staging and
intermediate models and their tests: about 210 of the project's 530 dbt nodes. A team that lands
the canonical contract alone would build them all every night over empty raw tables, about 12 s
of every build (BENCHMARKS.md, "Less fixed cost"), and get nothing from them: a system without
rows adds no row to any conform point.

A system listed in its var (``native_crm_systems``, ``native_billing_systems``,
``native_ad_platforms``) is **idle** when all of these hold:

- its dbt sources read ``raw`` (``<system>_schema``; a loader's schema is never looked into,
  so it always counts as something to read);
- the landing folder holds no file under ``<system>/`` (any file: loaded, rejected, ignored or
  not yet loaded: a system whose first file lands tonight is built tonight);
- no raw table of the system holds a row (``funnel retract`` can empty a table whose files are
  still there: the landing files keep it built anyway).

``funnel build`` puts the idle systems in ``FUNNEL_IDLE_NATIVE_SYSTEMS`` before it parses, and
dbt_project.yml disables their folders through the var ``idle_native_systems`` (the macro
``active_native_systems`` leaves them out of every conform point); the run leaves their raw
assets out (``orchestration/runner/nightly.py``: nothing to ingest). The set changes only when a
system's first file lands: that night dbt parses again and, since the var's value is part of
the rule fingerprints (``orchestration/rule_fingerprints.py``), the incremental models rebuild
whole, as after any change of a var.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import yaml

from orchestration.landed_entities import LANDED_ENTITIES
from orchestration.landing_contract import Entity

#: the environment variable dbt_project.yml's var ``idle_native_systems`` reads
IDLE_SYSTEMS_VARIABLE = "FUNNEL_IDLE_NATIVE_SYSTEMS"
#: the vars listing the native systems the conform points read, by kind of system
SYSTEM_LIST_VARS = ("native_crm_systems", "native_billing_systems", "native_ad_platforms")


def project_vars(project_dir: Path) -> Mapping[str, Any]:
    """The ``vars`` of the project's dbt_project.yml, as written."""
    config = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    return config.get("vars") or {}


def listed_systems(variables: Mapping[str, Any]) -> list[str]:
    """Every native system the list vars name, in the vars' order."""
    systems: list[str] = []
    for name in SYSTEM_LIST_VARS:
        for system in variables.get(name) or []:
            if system not in systems:
                systems.append(str(system))
    return systems


def _has_landed_file(landing: Path, system: str) -> bool:
    folder = landing / system
    return folder.is_dir() and any(path.is_file() for path in folder.rglob("*"))


def systems_with_raw_rows(warehouse: Path, entities: Iterable[Entity]) -> set[str]:
    """The sources among ``entities`` with a row in a raw table of the warehouse."""
    if not warehouse.exists():
        return set()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        existing = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        }
        found: set[str] = set()
        for entity in entities:
            if entity.source in found or entity.raw_table not in existing:
                continue
            if con.execute(f'select 1 from raw."{entity.raw_table}" limit 1').fetchone():
                found.add(entity.source)
        return found
    finally:
        con.close()


def idle_systems(project_dir: Path, landing: Path, warehouse: Path) -> list[str]:
    """The listed native systems with nothing to read (module docstring), in the vars' order."""
    variables = project_vars(project_dir)
    candidates = [
        system
        for system in listed_systems(variables)
        if str(variables.get(f"{system}_schema", "raw")) == "raw"
        and not _has_landed_file(landing, system)
    ]
    with_rows = systems_with_raw_rows(
        warehouse, (e for e in LANDED_ENTITIES if e.source in candidates)
    )
    return [system for system in candidates if system not in with_rows]
