"""The dbt targets of profiles.yml and how a build chooses one."""

from __future__ import annotations

import os

DUCKDB = "duckdb"
POSTGRES = "postgres"
SPARK = "spark"

#: every engine ``funnel build --target`` accepts (profiles.yml has one output per name)
TARGETS = (DUCKDB, POSTGRES, SPARK)

#: old names still accepted: ``local`` was the DuckDB target before issue 15
ALIASES = {"local": DUCKDB}

#: the environment variable profiles.yml reads its default target from
TARGET_VARIABLE = "FUNNEL_TARGET"


def normalize_target(name: str) -> str:
    """The canonical target name; raises ``ValueError`` for an unknown one."""
    target = ALIASES.get(name.strip().lower(), name.strip().lower())
    if target not in TARGETS:
        raise ValueError(f"unknown target {name!r}: use one of {', '.join(TARGETS)}")
    return target


def target_from_environment() -> str:
    """``FUNNEL_TARGET`` (default ``duckdb``)."""
    return normalize_target(os.environ.get(TARGET_VARIABLE) or DUCKDB)
