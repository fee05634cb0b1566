"""An independent oracle for fct_funnel.

Reads the landed CSV files of a generated dataset with the csv module only (no DuckDB, no SQL),
applies the documented rules (latest version per record, label mapping through the seed,
creation events, changes before creation taking effect at creation, implied stages, current
state of a lead with deals) in plain Python, and compares every funnel entity with fct_funnel.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tests.conftest import SampleBuild
from tests.oracle_inputs import (
    LandedRow,
    Stage,
    dbt_vars,
    funnel_stages,
    landed_rows,
    ordered_stages,
    read_seed,
)


def label_key(label: str | None) -> str | None:
    if label is None:
        return None
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFC", label)).strip().lower()
    return text or None


# -- the seeds and vars -------------------------------------------------------------------------


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
    return str(dbt_vars()["default_source_system"]).strip().lower()


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


def latest(rows: list[LandedRow], key: str, order_by: str) -> dict[str, LandedRow]:
    """The latest version per key: greatest order_by, then the last file and line."""
    best: dict[str, tuple[tuple, LandedRow]] = {}
    for row in rows:
        record_id = row.text(key)
        rank = (row.timestamp(order_by), *row.lineage)
        if record_id is not None and (record_id not in best or rank > best[record_id][0]):
            best[record_id] = (rank, row)
    return {record_id: row for record_id, (_, row) in best.items()}


def build_oracle(landing: Path) -> tuple[dict[tuple[str, str], dict], dict[str, int]]:
    stages = funnel_stages()
    labels = read_label_map()
    default_system = default_source_system()
    ordered = ordered_stages()
    entry_stage = {
        entity_type: min(
            (s for s in ordered if s.entity_type == entity_type), key=lambda s: s.order
        )
        for entity_type in ("lead", "deal")
    }

    def read(path: str) -> list[LandedRow]:
        return list(landed_rows(landing, path))

    leads = latest(read("crm/leads"), "lead_id", "updated_at")
    deals = latest(read("crm/deals"), "deal_id", "updated_at")

    records: dict[tuple[str, str], Record] = {}
    for lead_id, lead in leads.items():
        created_at = lead.timestamp("created_at")
        assert created_at is not None
        records["lead", lead_id] = Record("lead", lead_id, created_at, ("lead", lead_id))
    for deal_id, deal in deals.items():
        if deal.boolean("is_deleted"):
            continue
        lead_id = deal.text("lead_id")
        funnel_key = ("lead", lead_id) if lead_id in leads else ("deal", deal_id)
        created_at = deal.timestamp("created_at")
        assert created_at is not None
        records["deal", deal_id] = Record("deal", deal_id, created_at, funnel_key)

    def map_label(system: str | None, entity_type: str, label: str | None) -> str | None:
        system_key = (system or default_system).lower()
        key = label_key(label)
        return labels.get((system_key, entity_type, key)) or labels.get(("*", entity_type, key))

    changes = [("lead", "lead_id", "status", r) for r in read("crm/lead_status_changes")]
    changes += [("deal", "deal_id", "stage", r) for r in read("crm/deal_stage_changes")]
    seen: set[tuple] = set()
    for entity_type, id_column, label_column, row in changes:
        record = records.get((entity_type, row.text(id_column)))
        label = row.text(label_column)
        changed_at = row.timestamp("changed_at")
        identity = (entity_type, row.text(id_column), changed_at, label)
        if record is None or changed_at is None or identity in seen:
            continue
        seen.add(identity)
        stage = map_label(row.text("source_system"), entity_type, label)
        if stage is None:
            continue  # unmapped labels take no part in the history
        effective = max(changed_at, record.created_at)
        record.events.append(Event(effective, False, changed_at, stage, stages[stage].order))

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
            deals[funnel_key[1]].text("lead_id") is None
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
    stage_keys = [s.key for s in ordered_stages()]
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
    assert sum(e["deal_count"] > 1 for e in expected.values()) > 0  # a lead with two deals
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
