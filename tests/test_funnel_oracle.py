"""An independent oracle for fct_funnel.

Reads the landed CSV files of a generated dataset with the csv module only (no DuckDB, no SQL),
applies the documented rules (latest version per record, label mapping through the seed,
creation events, changes before creation taking effect at creation, implied stages, current
state of a lead with deals) in plain Python, and compares every funnel entity with fct_funnel.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from orchestration.landing_contract import ENTITY_BY_PATH, Entity
from tests.conftest import SampleBuild

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"


# -- reading landed files as the contract describes them ----------------------------------------


def _parse_timestamp(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _parse(column_type: str, text: str) -> tuple[bool, object]:
    """(ok, value) of a landed value of the contract type; ok is False when it cannot load."""
    stripped = text.strip()
    if column_type == "text":
        return True, (text if text != "" else None)
    if stripped == "":
        return True, None
    if column_type == "timestamp":
        value = _parse_timestamp(stripped)
        return value is not None, value
    if column_type == "date":
        try:
            return True, date.fromisoformat(stripped)
        except ValueError:
            return False, None
    if column_type == "boolean":
        lowered = stripped.lower()
        if lowered in ("true", "t", "1", "yes", "y"):
            return True, True
        if lowered in ("false", "f", "0", "no", "n"):
            return True, False
        return False, None
    if column_type in ("decimal", "integer"):
        try:
            return True, Decimal(stripped)
        except InvalidOperation:
            return False, None
    raise ValueError(column_type)


def landed_rows(landing: Path, entity: Entity) -> Iterator[dict]:
    """Every loadable row of the entity's landed CSV files, typed, with file and line."""
    folder = landing / entity.path
    files = sorted(p for p in folder.rglob("*") if p.name.endswith((".csv", ".csv.gz")))
    assert not list(folder.rglob("*.parquet")), "the oracle reads CSV files only"
    types = {c.name: c.type for c in entity.columns}
    required = {c.name for c in entity.columns if c.not_empty}
    for path in files:
        raw = path.read_bytes()
        if path.name.endswith(".gz"):
            raw = gzip.decompress(raw)
        reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline=""))
        for number, record in enumerate(reader, start=2):
            row: dict = {"_file": str(path.relative_to(landing)), "_line": number}
            ok = True
            for name, column_type in types.items():
                text = record.get(name) or ""
                if name in required and text.strip() == "":
                    ok = False
                    break
                parsed_ok, value = _parse(column_type, text)
                if not parsed_ok:
                    ok = False
                    break
                row[name] = value
            if ok:
                yield row


def clean(value: object) -> str | None:
    """Trimmed text, None when empty (ids, labels, source systems)."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def label_key(label: str | None) -> str | None:
    if label is None:
        return None
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", label)).strip().lower()
    return text or None


# -- the seeds and vars -------------------------------------------------------------------------


def read_seed(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@dataclass(frozen=True)
class Stage:
    key: str
    order: int | None
    entity_type: str
    is_terminal: bool
    is_won: bool


def read_stages() -> dict[str, Stage]:
    stages = {}
    for row in read_seed("funnel_stages.csv"):
        order = int(row["stage_order"]) if row["stage_order"].strip() else None
        stages[row["stage_key"]] = Stage(
            row["stage_key"],
            order,
            row["entity_type"],
            row["is_terminal"].strip().lower() == "true",
            row["is_won"].strip().lower() == "true",
        )
    return stages


def read_label_map() -> dict[tuple[str, str, str], str]:
    """(source_system or '*', entity_type, label key) -> stage_key."""
    return {
        (
            r["source_system"].strip().lower(),
            r["entity_type"].strip().lower(),
            label_key(r["label"]),
        ): (r["stage_key"].strip().lower())
        for r in read_seed("crm_stage_labels.csv")
    }


def default_source_system() -> str:
    project = yaml.safe_load((REPO / "dbt_project.yml").read_text(encoding="utf-8"))
    return str(project["vars"]["default_source_system"]).strip().lower()


# -- the oracle ---------------------------------------------------------------------------------


@dataclass
class Event:
    changed_at: datetime  # effective: never before the record's creation
    is_creation: bool
    recorded_at: datetime
    stage: str
    order: int | None


@dataclass
class Record:
    entity_type: str
    entity_id: str
    created_at: datetime
    funnel_key: tuple[str, str]
    events: list[Event] = field(default_factory=list)


def latest(rows: list[dict], key: str, order_by: str) -> dict[str, dict]:
    """The latest version per key: greatest order_by, then the last file and line."""
    best: dict[str, dict] = {}
    for row in rows:
        record_id = clean(row[key])
        rank = (row[order_by], row["_file"], row["_line"])
        if record_id not in best or rank > best[record_id]["_rank"]:
            best[record_id] = {**row, "_rank": rank}
    return best


def build_oracle(landing: Path) -> tuple[dict[tuple[str, str], dict], dict[str, int]]:
    stages = read_stages()
    labels = read_label_map()
    default_system = default_source_system()
    ordered = sorted((s for s in stages.values() if s.order is not None), key=lambda s: s.order)
    entry_stage = {
        entity_type: min(
            (s for s in ordered if s.entity_type == entity_type), key=lambda s: s.order
        )
        for entity_type in ("lead", "deal")
    }

    def read(path: str) -> list[dict]:
        return list(landed_rows(landing, ENTITY_BY_PATH[path]))

    leads = latest(read("crm/leads"), "lead_id", "updated_at")
    deals = latest(read("crm/deals"), "deal_id", "updated_at")

    records: dict[tuple[str, str], Record] = {}
    for lead_id, lead in leads.items():
        records["lead", lead_id] = Record("lead", lead_id, lead["created_at"], ("lead", lead_id))
    for deal_id, deal in deals.items():
        if deal["is_deleted"]:
            continue
        lead_id = clean(deal["lead_id"])
        funnel_key = ("lead", lead_id) if lead_id in leads else ("deal", deal_id)
        records["deal", deal_id] = Record("deal", deal_id, deal["created_at"], funnel_key)

    def map_label(system: object, entity_type: str, label: str | None) -> str | None:
        system_key = (clean(system) or default_system).lower()
        key = label_key(label)
        return labels.get((system_key, entity_type, key)) or labels.get(("*", entity_type, key))

    changes = [("lead", "lead_id", "status", r) for r in read("crm/lead_status_changes")]
    changes += [("deal", "deal_id", "stage", r) for r in read("crm/deal_stage_changes")]
    seen: set[tuple] = set()
    for entity_type, id_column, label_column, row in changes:
        record = records.get((entity_type, clean(row[id_column])))
        label = clean(row[label_column])
        identity = (entity_type, clean(row[id_column]), row["changed_at"], label)
        if record is None or identity in seen:
            continue
        seen.add(identity)
        stage = map_label(row.get("source_system"), entity_type, label)
        if stage is None:
            continue  # unmapped labels take no part in the history
        effective = max(row["changed_at"], record.created_at)
        record.events.append(Event(effective, False, row["changed_at"], stage, stages[stage].order))

    counts = {"skips": 0, "regressions": 0, "reopens": 0, "before_created": 0}
    for record in records.values():
        created_in_stage = any(
            e.order is not None and e.recorded_at <= record.created_at for e in record.events
        )
        if not created_in_stage:
            entry = entry_stage[record.entity_type]
            record.events.append(
                Event(record.created_at, True, record.created_at, entry.key, entry.order)
            )
        record.events.sort(
            key=lambda e: (
                e.changed_at,
                not e.is_creation,
                e.recorded_at,
                e.order is None,
                e.order or 0,
            )
        )
        counts["before_created"] += sum(e.recorded_at < record.created_at for e in record.events)
        previous: Stage | None = None
        for event in record.events:
            stage = stages[event.stage]
            if previous is None:
                entry_order = entry_stage[record.entity_type].order
                counts["skips"] += stage.order is not None and stage.order > entry_order
            elif stage.key != previous.key:
                both_ordered = stage.order is not None and previous.order is not None
                if not previous.is_terminal and both_ordered and stage.order > previous.order + 1:
                    counts["skips"] += 1
                if (
                    not previous.is_terminal
                    and not stage.is_terminal
                    and both_ordered
                    and stage.order < previous.order
                ):
                    counts["regressions"] += 1
                if previous.is_terminal and not stage.is_terminal:
                    counts["reopens"] += 1
            previous = stage

    entities: dict[tuple[str, str], dict] = {}
    members: dict[tuple[str, str], list[Record]] = defaultdict(list)
    for record in records.values():
        members[record.funnel_key].append(record)
    for funnel_key, group in members.items():
        if funnel_key not in records and funnel_key[0] == "lead":
            continue  # a lead key always has its lead record
        events = [e for r in group for e in r.events if e.order is not None]
        expected: dict[str, object] = {}
        for stage in ordered:
            later = [e for e in events if e.order >= stage.order]
            expected[f"reached_{stage.key}_at"] = min((e.changed_at for e in later), default=None)
            expected[f"is_{stage.key}_implied"] = bool(later) and not any(
                e.stage == stage.key for e in later
            )
        furthest = max((e.order for e in events), default=None)
        expected["furthest_stage_key"] = next((s.key for s in ordered if s.order == furthest), None)

        deal_states = [stages[r.events[-1].stage] for r in group if r.entity_type == "deal"]
        if deal_states:
            won = [s for s in deal_states if s.is_won]
            open_ = [s for s in deal_states if not s.is_terminal]
            if won:
                current = won[0]
            elif open_:
                current = max(open_, key=lambda s: s.order)
            else:
                current = deal_states[0]
        else:
            current = stages[records["lead", funnel_key[1]].events[-1].stage]
        expected["current_stage_key"] = current.key
        expected["is_won"] = current.is_won
        expected["is_lost"] = current.is_terminal and not current.is_won
        expected["is_sales_sourced"] = funnel_key[0] == "deal" and (
            clean(deals[funnel_key[1]]["lead_id"]) is None
        )
        expected["deal_count"] = len(deal_states)
        entities[funnel_key] = expected
    return entities, counts


COMPARED = [
    "furthest_stage_key",
    "current_stage_key",
    "is_won",
    "is_lost",
    "is_sales_sourced",
    "deal_count",
]


def test_fct_funnel_matches_an_independent_oracle(sample_build: SampleBuild) -> None:
    expected, counts = build_oracle(sample_build.landing)
    stages = read_stages()
    stage_keys = [s.key for s in sorted(stages.values(), key=lambda s: s.order or 0) if s.order]
    columns = COMPARED + [f"reached_{k}_at" for k in stage_keys]
    columns += [f"is_{k}_implied" for k in stage_keys]
    rows = sample_build.query(
        f"select funnel_entity_type, funnel_entity_id, {', '.join(columns)} from marts.fct_funnel"
    )
    actual = {(r[0], r[1]): dict(zip(columns, r[2:], strict=True)) for r in rows}

    assert len(actual) == len(rows), "fct_funnel has duplicate funnel entities"
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    differences = [
        (key, column, expected[key][column], actual[key][column])
        for key in sorted(set(expected) & set(actual))
        for column in columns
        if expected[key][column] != actual[key][column]
    ]
    assert missing == [] and extra == [], f"missing {missing[:10]}, extra {extra[:10]}"
    assert differences == [], f"{len(differences)} differences, e.g. {differences[:10]}"

    # the data must contain what the rules are about, or the comparison proves little
    assert len(expected) >= 1000
    assert counts["skips"] > 0 and counts["regressions"] > 0 and counts["reopens"] > 0, counts
    assert sum(e["is_sales_sourced"] for e in expected.values()) > 0
    assert sum(e["is_won"] for e in expected.values()) > 0
    assert sum(e["is_lost"] for e in expected.values()) > 0
    assert any(e["is_sql_implied"] for e in expected.values())


def test_stage_history_counts_match_the_oracle(sample_build: SampleBuild) -> None:
    """Skips, regressions, reopens and pre-creation changes: same counts as the oracle's."""
    _, counts = build_oracle(sample_build.landing)
    [(skips, regressions, reopens, before_created)] = sample_build.query(
        "select sum(case when is_skip then 1 else 0 end), "
        "sum(case when is_regression then 1 else 0 end), "
        "sum(case when is_reopen then 1 else 0 end), "
        "(select count(*) from intermediate.int_funnel_stage_events "
        " where is_before_entity_created and is_stage_mapped) "
        "from marts.fct_stage_transitions"
    )
    assert (skips, regressions, reopens) == (
        counts["skips"],
        counts["regressions"],
        counts["reopens"],
    )
    assert before_created == counts["before_created"]
