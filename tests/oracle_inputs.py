"""What the oracles recompute from, read-only: the landed CSV files of a generated dataset,
the seeds, the funnel stage list and the dbt vars.

Only reading lives here: which rows the ingestion keeps, and a landed value as the contract
types it (staging's trimming of text, ISO-8601 timestamps as naive UTC). Every business rule
(latest versions, label mapping, milestones, money) stays in its own oracle, written there a
second time, independently of the dbt models. No DuckDB, no SQL: the csv module only.
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from orchestration.landing_contract import ENTITY_BY_PATH

PROJECT_DIR = Path(__file__).resolve().parents[1]
SEEDS = PROJECT_DIR / "seeds"
#: what staging trims (the trim_whitespace macro): spaces, tabs, CR, LF, no-break spaces
WHITESPACE = " \t\n\r\xa0"
TRUE_TEXTS = ("true", "t", "1", "yes", "y")
FALSE_TEXTS = ("false", "f", "0", "no", "n")


# -- values -------------------------------------------------------------------------------------


def clean(value: str | None, lowercase: bool = False) -> str | None:
    """normalize_text: trimmed, None when empty, optionally lowercased."""
    text = (value or "").strip(WHITESPACE)
    if not text:
        return None
    return text.lower() if lowercase else text


def parse_timestamp(text: str | None) -> datetime | None:
    """ISO-8601 with an offset (converted) or without one (already UTC), as a naive UTC value."""
    if text is None:
        return None
    value = datetime.fromisoformat(text)
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _loads_as(column_type: str, text: str) -> bool:
    """Whether a non-empty landed value loads as the contract type (else the row is rejected)."""
    try:
        if column_type == "timestamp":
            parse_timestamp(text)
        elif column_type == "date":
            date.fromisoformat(text)
        elif column_type == "boolean":
            return text.lower() in TRUE_TEXTS + FALSE_TEXTS
        elif column_type in ("decimal", "integer"):
            Decimal(text)
    except (ValueError, InvalidOperation):
        return False
    return True


@dataclass(frozen=True)
class LandedRow:
    """One landed record: its file (relative to the landing folder), the physical line where it
    starts, and its text values by (lowercased) column name."""

    file: str
    line: int
    values: dict[str, str]

    @property
    def lineage(self) -> tuple[str, int]:
        """(file, line): the tie-break of "the copy loaded last"."""
        return (self.file, self.line)

    def text(self, name: str, lowercase: bool = False) -> str | None:
        return clean(self.values.get(name), lowercase)

    def timestamp(self, name: str) -> datetime | None:
        return parse_timestamp(self.text(name))

    def date(self, name: str) -> date | None:
        text = self.text(name)
        return date.fromisoformat(text) if text else None

    def decimal(self, name: str) -> Decimal | None:
        text = self.text(name)
        return Decimal(text) if text else None

    def boolean(self, name: str) -> bool | None:
        text = self.text(name, lowercase=True)
        return None if text is None else text in TRUE_TEXTS


# -- landed files ---------------------------------------------------------------------------------


def landed_files(landing: Path, entity_path: str) -> list[Path]:
    """The entity's CSV files (plain or gzipped), in load order: by path relative to landing."""
    files = [
        p
        for p in (landing / entity_path).rglob("*")
        if p.is_file()
        and not p.name.startswith((".", "_"))
        and p.name.lower().endswith((".csv", ".csv.gz"))
    ]
    assert not list((landing / entity_path).rglob("*.parquet")), "the oracles read CSV only"
    return sorted(files, key=lambda p: p.relative_to(landing).as_posix())


def landed_rows(landing: Path, entity_path: str) -> Iterator[LandedRow]:
    """Every row of the entity's landed files that the ingestion loads: each column the contract
    requires is not empty, and each value loads as its contract type."""
    columns = ENTITY_BY_PATH[entity_path].columns
    required = [c.name for c in columns if c.not_empty]
    for path in landed_files(landing, entity_path):
        raw = path.read_bytes()
        if path.name.lower().endswith(".gz"):
            raw = gzip.decompress(raw)
        reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
        reader.fieldnames = [name.strip().lower() for name in reader.fieldnames or []]
        relative = path.relative_to(landing).as_posix()
        while True:
            line = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                break
            if all(clean(values.get(name)) for name in required) and all(
                _loads_as(c.type, text)
                for c in columns
                if (text := clean(values.get(c.name))) is not None
            ):
                yield LandedRow(relative, line, values)


# -- seeds and vars -------------------------------------------------------------------------------


def read_seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class Stage:
    """One row of seeds/funnel_stages.csv."""

    key: str
    order: int | None
    name: str
    entity_type: str
    is_terminal: bool
    is_won: bool
    win_probability: Decimal


@cache
def funnel_stages() -> dict[str, Stage]:
    """Every funnel stage by key, in seed order."""
    stages = {}
    for row in read_seed("funnel_stages.csv"):
        key = row["stage_key"].strip().lower()
        stages[key] = Stage(
            key=key,
            order=int(row["stage_order"]) if row["stage_order"].strip() else None,
            name=row["stage_name"].strip(),
            entity_type=row["entity_type"].strip().lower(),
            is_terminal=row["is_terminal"].strip().lower() == "true",
            is_won=row["is_won"].strip().lower() == "true",
            win_probability=Decimal(row["win_probability"].strip()),
        )
    return stages


def ordered_stages() -> list[Stage]:
    """The stages with a stage_order (the funnel's milestones), in that order."""
    ordered = [s for s in funnel_stages().values() if s.order is not None]
    return sorted(ordered, key=lambda s: s.order or 0)


@cache
def dbt_vars() -> dict[str, Any]:
    """The ``vars:`` of dbt_project.yml as written (an env_var() default is not rendered)."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return dict(project["vars"])
