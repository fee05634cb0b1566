"""Oracle for the sales marts (models/marts/sales/): every metric recomputed in plain Python
from the landed CSV files of a generated dataset (csv module, no SQL), then compared with the
marts: counts exactly, rates within 1e-9, amounts within 1e-6.

The funnel facts the metrics need are rebuilt here a second time, from the documented rules
(models/marts/funnel/_funnel__docs.md, models/marts/sales/_sales__docs.md), independently of
the dbt models:

- staging: the latest copy of every record (latest ``updated_at``, then the last file and
  line); text trimmed (spaces, tabs, newlines, no-break spaces), empty = null; categorical
  values lowercased; CRM labels mapped per source system through seeds/crm_stage_labels.csv
  (NFC, whitespace runs collapsed, case-insensitive; an exact CRM beats ``*``);
- funnel entities: every lead, plus every non-deleted deal with no known lead; the stage events
  of each lead and non-deleted deal (a creation event in the record type's first stage unless
  the record has a mapped change into an ordered stage at or before its creation; changes dated
  before the creation take effect at it); transitions (changes into a different stage), spells,
  milestones (reached k = an event in a stage of order >= k), the leading deal and the current
  state; stalled = open and no stage change for more than var('stalled_after_days') days before
  the end of the as-of date;
- deal versions: one per (deal_id, updated_at), valid until the next one, the first from the
  deal's creation; the version standing on day D began before D and ended on or after D;
- money: amount x the day's rate (the reporting currency at 1).

The as-of date is the one the build used (read from the marts and checked against today).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from statistics import fmean
from zoneinfo import ZoneInfo

import pytest

from tests.oracle_inputs import LandedRow as Row
from tests.oracle_inputs import (
    dbt_vars,
    funnel_stages,
    landed_rows,
    ordered_stages,
    read_seed,
)

RATE_TOLERANCE = 1e-9
AMOUNT_TOLERANCE = 1e-6
DAY_SECONDS = 86_400

# -- latest versions and labels -------------------------------------------------------------------

_LABEL_SPACE = re.compile(r"[\t\n\v\f\r \u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")


def label_key(value: str | None) -> str | None:
    """normalize_label: NFC, whitespace runs -> one space, trimmed, lowercased."""
    if value is None:
        return None
    text = _LABEL_SPACE.sub(" ", unicodedata.normalize("NFC", value)).strip(" ").lower()
    return text or None


def latest(rows: Iterator[Row], key, order=lambda row: ()) -> dict:
    """One row per key: the greatest order, then the last file and line."""
    best: dict = {}
    for row in rows:
        k = key(row)
        rank = (*order(row), *row.lineage)
        if k not in best or rank > best[k][0]:
            best[k] = (rank, row)
    return {k: row for k, (_, row) in best.items()}


@dataclass
class ProjectVars:
    reporting_currency: str
    reporting_timezone: str
    stalled_after_days: int
    default_source_system: str

    @classmethod
    def load(cls) -> ProjectVars:
        v = dbt_vars()
        return cls(
            str(v["reporting_currency"]).strip().upper(),
            str(v.get("reporting_timezone") or "UTC").strip(),
            int(v["stalled_after_days"]),
            str(v["default_source_system"]).strip().lower(),
        )


# -- period helpers ------------------------------------------------------------------------------


def week_start(d: date) -> date:
    return d - timedelta(days=d.weekday())


def month_start(d: date) -> date:
    return d.replace(day=1)


def quarter_start(d: date) -> date:
    return date(d.year, 3 * ((d.month - 1) // 3) + 1, 1)


def next_period(start: date, grain: str) -> date:
    if grain == "week":
        return start + timedelta(days=7)
    months = 1 if grain == "month" else 3
    index = start.month - 1 + months
    return date(start.year + index // 12, index % 12 + 1, 1)


def period_start(d: date, grain: str) -> date:
    return {"week": week_start, "month": month_start, "quarter": quarter_start}[grain](d)


def period_end(start: date, grain: str) -> date:
    return next_period(start, grain) - timedelta(days=1)


def ratio(numerator, denominator) -> float | None:
    if denominator is None or denominator == 0:
        return None
    return float(numerator) / float(denominator)


def percentile_cont(values: list[float], fraction: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    position = fraction * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


# -- the funnel, rebuilt -------------------------------------------------------------------------


@dataclass
class Event:
    stage: str | None
    order: int | None
    is_creation: bool
    recorded_at: datetime
    changed_at: datetime


@dataclass
class Record:
    """A lead or a non-deleted deal, with its stage history."""

    entity_type: str
    record_id: str
    funnel_key: tuple[str, str]
    created_at: datetime
    events: list[Event] = field(default_factory=list)
    transitions: list[Event] = field(default_factory=list)


@dataclass
class Entity:
    funnel_type: str
    funnel_id: str
    lead_id: str | None
    owner_id: str | None
    source: str | None
    medium: str | None
    campaign: str | None
    channel: str | None
    created_at: datetime
    cohort_date: date
    reached: dict[str, bool] = field(default_factory=dict)  # stage -> implied
    furthest_order: int | None = None
    current_stage: str | None = None
    is_open: bool = False
    is_won: bool = False
    is_lost: bool = False
    is_stalled: bool = False
    last_change_at: datetime | None = None


@dataclass
class Deal:
    deal_id: str
    lead_id: str | None
    owner_id: str | None
    currency: str | None
    amount: Decimal | None
    created_at: datetime
    funnel_key: tuple[str, str]
    current_stage: str | None = None
    current_entered_at: datetime | None = None


@dataclass
class Version:
    deal_id: str
    owner_id: str | None
    stage: str | None
    currency: str | None
    amount: Decimal | None
    expected_close: date | None
    is_deleted: bool
    valid_from_date: date
    valid_to_date: date | None

    def stands_on(self, d: date) -> bool:
        return self.valid_from_date < d and (self.valid_to_date is None or self.valid_to_date >= d)


class Oracle:
    def __init__(self, landing: Path, as_of: date) -> None:
        self.landing = landing
        self.vars = ProjectVars.load()
        self.as_of = as_of
        self.as_of_ts = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
        self.stages = funnel_stages()
        self.ordered = ordered_stages()
        self.entry_stage = {
            t: min((s for s in self.ordered if s.entity_type == t), key=lambda s: s.order).key
            for t in ("lead", "deal")
        }
        self.labels: dict[tuple[str, str, str], str] = {}
        for r in read_seed("crm_stage_labels.csv"):
            k = (
                r["source_system"].strip().lower(),
                r["entity_type"].strip().lower(),
                label_key(r["label"]),
            )
            self.labels[k] = r["stage_key"].strip().lower()
        self.channel_rules = [
            (r["source"].strip().lower(), r["medium"].strip().lower(), r["channel"].strip().lower())
            for r in read_seed("channel_mapping.csv")
        ]
        self._read()
        self._build_funnel()
        self._build_versions()

    # -- helpers

    def reporting_date(self, moment: datetime) -> date:
        zone = self.vars.reporting_timezone
        if zone.upper() in ("UTC", "ETC/UTC", "GMT", "Z"):
            return moment.date()
        return moment.replace(tzinfo=UTC).astimezone(ZoneInfo(zone)).date()

    def to_reporting(
        self, amount: Decimal | None, currency: str | None, on: date
    ) -> Decimal | None:
        if amount is None:
            return None
        if (currency or "").upper() == self.vars.reporting_currency:
            return amount
        rate = self.rates.get((on, currency))
        return None if rate is None else amount * rate

    def map_label(self, system: str, entity_type: str, label: str | None) -> str | None:
        k = label_key(label)
        return self.labels.get((system, entity_type, k)) or self.labels.get(("*", entity_type, k))

    def channel(self, source: str | None, medium: str | None) -> str | None:
        best = None
        for s, m, channel in self.channel_rules:
            if (s == source or s == "*") and (m == medium or m == "*"):
                rank = 1 if s != "*" and m != "*" else 2 if s != "*" else 3 if m != "*" else 4
                if best is None or (rank, channel) < best:
                    best = (rank, channel)
        return best[1] if best else None

    def system(self, row: Row) -> str:
        return row.text("source_system", True) or self.vars.default_source_system

    # -- reading

    def _read(self) -> None:
        land = self.landing
        self.leads = latest(
            landed_rows(land, "crm/leads"),
            lambda r: r.text("lead_id"),
            lambda r: (r.timestamp("updated_at"),),
        )
        self.deals_latest = latest(
            landed_rows(land, "crm/deals"),
            lambda r: r.text("deal_id"),
            lambda r: (r.timestamp("updated_at"),),
        )
        self.deal_versions_rows = latest(
            landed_rows(land, "crm/deals"),
            lambda r: (r.text("deal_id"), r.timestamp("updated_at")),
        )
        self.lead_changes = latest(
            landed_rows(land, "crm/lead_status_changes"),
            lambda r: (r.text("lead_id"), r.timestamp("changed_at"), r.text("status")),
        )
        self.deal_changes = latest(
            landed_rows(land, "crm/deal_stage_changes"),
            lambda r: (r.text("deal_id"), r.timestamp("changed_at"), r.text("stage")),
        )
        owners = latest(
            landed_rows(land, "crm/owners"),
            lambda r: r.text("owner_id"),
            lambda r: (
                r.timestamp("updated_at") is not None,
                r.timestamp("updated_at") or datetime.min,
            ),
        )
        self.owners = {k: (r.text("name"), r.text("team")) for k, r in owners.items()}
        self.quotas = latest(
            landed_rows(land, "crm/quotas"),
            lambda r: (r.text("owner_id"), r.date("period_start")),
        )
        fx = latest(
            landed_rows(land, "finance/fx_rates"),
            lambda r: (r.date("date"), r.text("currency").upper()),
        )
        self.rates = {k: r.decimal("rate_to_reporting") for k, r in fx.items()}

    # -- stage history

    def _build_funnel(self) -> None:
        records: dict[tuple[str, str], Record] = {}
        self.entities: dict[tuple[str, str], Entity] = {}
        for lead_id, r in self.leads.items():
            created = r.timestamp("created_at")
            source, medium = r.text("source", True), r.text("medium", True)
            self.entities[("lead", lead_id)] = Entity(
                "lead",
                lead_id,
                lead_id,
                r.text("owner_id"),
                source,
                medium,
                r.text("campaign", True),
                self.channel(source, medium),
                created,
                self.reporting_date(created),
            )
            records[("lead", lead_id)] = Record("lead", lead_id, ("lead", lead_id), created)
        self.deals: dict[str, Deal] = {}
        for deal_id, r in self.deals_latest.items():
            if r.boolean("is_deleted"):
                continue
            lead_id = r.text("lead_id")
            created = r.timestamp("created_at")
            key = ("lead", lead_id) if lead_id in self.leads else ("deal", deal_id)
            if key[0] == "deal":
                self.entities[key] = Entity(
                    "deal",
                    deal_id,
                    None,
                    r.text("owner_id"),
                    None,
                    None,
                    None,
                    self.channel(None, None),
                    created,
                    self.reporting_date(created),
                )
            records[("deal", deal_id)] = Record("deal", deal_id, key, created)
            self.deals[deal_id] = Deal(
                deal_id,
                lead_id,
                r.text("owner_id"),
                (r.text("currency") or "").upper() or None,
                r.decimal("amount"),
                created,
                key,
            )

        changes = [("lead", k, r) for k, r in self.lead_changes.items()]
        changes += [("deal", k, r) for k, r in self.deal_changes.items()]
        for entity_type, (record_id, recorded_at, label), row in changes:
            record = records.get((entity_type, record_id))
            if record is None:
                continue
            stage = self.map_label(self.system(row), entity_type, label)
            order = self.stages[stage].order if stage else None
            changed = max(recorded_at, record.created_at)
            record.events.append(Event(stage, order, False, recorded_at, changed))

        self.records = records
        for record in records.values():
            created_in_stage = any(
                e.stage and e.order is not None and e.recorded_at <= record.created_at
                for e in record.events
            )
            if not created_in_stage:
                entry = self.entry_stage[record.entity_type]
                record.events.append(
                    Event(
                        entry, self.stages[entry].order, True, record.created_at, record.created_at
                    )
                )
            record.events.sort(
                key=lambda e: (
                    e.changed_at,
                    0 if e.is_creation else 1,
                    e.recorded_at,
                    1 if e.order is None else 0,
                    e.order or 0,
                    e.stage or "",
                )
            )
            previous = None
            for e in record.events:
                if e.stage is None:
                    continue
                if e.stage != previous:
                    record.transitions.append(e)
                previous = e.stage

        by_entity: dict[tuple[str, str], list[Record]] = defaultdict(list)
        for record in records.values():
            by_entity[record.funnel_key].append(record)
        for key, entity in self.entities.items():
            recs = by_entity.get(key, [])
            for stage in self.ordered:
                hits = [
                    e
                    for r in recs
                    for e in r.events
                    if e.stage and e.order is not None and e.order >= stage.order
                ]
                if hits:
                    entity.reached[stage.key] = not any(e.stage == stage.key for e in hits)
            orders = [self.stages[k].order for k in entity.reached]
            entity.furthest_order = max(orders) if orders else None
            all_transitions = [t for r in recs for t in r.transitions]
            entity.last_change_at = max((t.changed_at for t in all_transitions), default=None)

        for deal in self.deals.values():
            current = self.records[("deal", deal.deal_id)].transitions[-1]
            deal.current_stage, deal.current_entered_at = current.stage, current.changed_at

        deals_by_entity: dict[tuple[str, str], list[Deal]] = defaultdict(list)
        for deal in self.deals.values():
            deals_by_entity[deal.funnel_key].append(deal)
        for key, entity in self.entities.items():
            deals = deals_by_entity.get(key)
            if deals:
                entity.current_stage = min(deals, key=self._deal_rank).current_stage
            else:
                entity.current_stage = (
                    self.records[("lead", entity.funnel_id)].transitions[-1].stage
                )
            stage = self.stages[entity.current_stage]
            entity.is_won = stage.is_won
            entity.is_lost = stage.is_terminal and not stage.is_won
            entity.is_open = not stage.is_terminal
            idle = (self.as_of_ts - entity.last_change_at).total_seconds()
            entity.is_stalled = entity.is_open and idle > self.vars.stalled_after_days * DAY_SECONDS

    def _deal_rank(self, deal: Deal) -> tuple:
        stage = self.stages[deal.current_stage]
        status = 1 if stage.is_won else 2 if not stage.is_terminal else 3
        lost_at = deal.current_entered_at.timestamp() if status == 3 else 0.0
        return (status, -(stage.order or 0), -lost_at, deal.current_entered_at, deal.deal_id)

    # -- deal versions

    def _build_versions(self) -> None:
        by_deal: dict[str, list[tuple[datetime, Row]]] = defaultdict(list)
        for (deal_id, updated_at), row in self.deal_versions_rows.items():
            by_deal[deal_id].append((updated_at, row))
        self.versions: dict[str, list[Version]] = {}
        for deal_id, rows in by_deal.items():
            rows.sort(key=lambda pair: pair[0])
            versions = []
            for i, (updated_at, row) in enumerate(rows):
                created = row.timestamp("created_at")
                valid_from = created if i == 0 and created < updated_at else updated_at
                valid_to = rows[i + 1][0] if i + 1 < len(rows) else None
                versions.append(
                    Version(
                        deal_id,
                        row.text("owner_id"),
                        self.map_label(self.system(row), "deal", row.text("stage")),
                        (row.text("currency") or "").upper() or None,
                        row.decimal("amount"),
                        row.date("expected_close_date"),
                        bool(row.boolean("is_deleted")),
                        self.reporting_date(valid_from),
                        self.reporting_date(valid_to) if valid_to else None,
                    )
                )
            self.versions[deal_id] = versions

    def is_open_stage(self, stage: str | None) -> bool:
        return stage is not None and stage in self.stages and not self.stages[stage].is_terminal

    def standing(self, deal_id: str, d: date) -> Version | None:
        for version in self.versions[deal_id]:
            if version.stands_on(d):
                return version
        return None

    def pipeline_days(self) -> list[date]:
        first = min(v.valid_from_date for vs in self.versions.values() for v in vs) + timedelta(
            days=1
        )
        last = self.as_of
        if self.rates:
            last = min(last, max(d for d, _ in self.rates))
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    # -- the marts -------------------------------------------------------------------------------

    def funnel_conversion_by_cohort(self) -> dict[tuple, dict]:
        segments: dict[tuple, list[Entity]] = defaultdict(list)
        for e in self.entities.values():
            for grain in ("week", "month"):
                start = period_start(e.cohort_date, grain)
                segments[(grain, start, e.funnel_type, e.channel, e.source, e.campaign)].append(e)
        out = {}
        first = self.ordered[0].key
        for segment, members in segments.items():
            grain, start = segment[0], segment[1]
            reached = {s.key: sum(1 for m in members if s.key in m.reached) for s in self.ordered}
            for i, stage in enumerate(self.ordered):
                nxt = self.ordered[i + 1].key if i + 1 < len(self.ordered) else None
                converted = reached[nxt] if nxt else None
                out[(*segment, stage.key)] = {
                    "cohort_end_date": period_end(start, grain),
                    "cohort_entity_count": len(members),
                    "first_stage_reached_count": reached[first],
                    "reached_count": reached[stage.key],
                    "reached_implied_count": sum(
                        1 for m in members if m.reached.get(stage.key) is True
                    ),
                    "converted_count": converted,
                    "step_conversion_rate": ratio(converted, reached[stage.key]) if nxt else None,
                    "cumulative_conversion_rate": ratio(reached[stage.key], reached[first]),
                    "cohort_age_days": (self.as_of - start).days,
                    "is_cohort_closed": period_end(start, grain) < self.as_of,
                }
        return out

    def funnel_drop_off_by_cohort(self) -> dict[tuple, dict]:
        segments: dict[tuple, list[Entity]] = defaultdict(list)
        for e in self.entities.values():
            segments[
                (month_start(e.cohort_date), e.funnel_type, e.channel, e.source, e.campaign)
            ].append(e)
        out = {}
        for segment, members in segments.items():
            for stage in self.ordered:
                at = [m for m in members if m.furthest_order == stage.order]
                lost = sum(1 for m in at if m.is_lost)
                stalled = sum(1 for m in at if m.is_stalled)
                reached = sum(1 for m in members if (m.furthest_order or 0) >= stage.order)
                out[(*segment, stage.key)] = {
                    "reached_count": reached,
                    "furthest_stage_count": len(at),
                    "won_count": sum(1 for m in at if m.is_won),
                    "lost_count": lost,
                    "stalled_count": stalled,
                    "active_count": sum(1 for m in at if m.is_open and not m.is_stalled),
                    "dropped_off_count": lost + stalled,
                    "drop_off_rate": ratio(lost + stalled, reached),
                }
        return out

    def stalled_entities(self) -> dict[tuple, dict]:
        return {
            (e.funnel_type, e.funnel_id): {
                "current_stage_key": e.current_stage,
                "owner_id": e.owner_id,
                "days_since_last_stage_change": (
                    self.as_of_ts.date() - e.last_change_at.date()
                ).days,
            }
            for e in self.entities.values()
            if e.is_stalled
        }

    def stage_durations(self) -> dict[tuple, dict]:
        completed: dict[str, list[float]] = defaultdict(list)
        open_ages: dict[str, list[float]] = defaultdict(list)
        first_deal_at: dict[tuple[str, str], datetime] = {}
        for record in self.records.values():
            if record.entity_type == "deal":
                at = min(t.changed_at for t in record.transitions)
                key = record.funnel_key
                first_deal_at[key] = min(at, first_deal_at.get(key, at))
        for record in self.records.values():
            converted_at = (
                first_deal_at.get(record.funnel_key) if record.entity_type == "lead" else None
            )
            for i, t in enumerate(record.transitions):
                if i + 1 < len(record.transitions):
                    seconds = (record.transitions[i + 1].changed_at - t.changed_at).total_seconds()
                    completed[t.stage].append(seconds / DAY_SECONDS)
                elif converted_at is not None:
                    if t.changed_at <= converted_at:
                        completed[t.stage].append(
                            (converted_at - t.changed_at).total_seconds() / DAY_SECONDS
                        )
                else:
                    open_ages[t.stage].append(
                        (self.as_of_ts - t.changed_at).total_seconds() / DAY_SECONDS
                    )
        out = {}
        for stage in self.ordered:
            if stage.is_terminal:
                continue
            done, ages = completed.get(stage.key, []), open_ages.get(stage.key, [])
            out[(stage.key,)] = {
                "completed_spell_count": len(done),
                "completed_mean_days": fmean(done) if done else None,
                "completed_median_days": percentile_cont(done, 0.5),
                "completed_p90_days": percentile_cont(done, 0.9),
                "open_spell_count": len(ages),
                "open_mean_age_days": fmean(ages) if ages else None,
                "open_median_age_days": percentile_cont(ages, 0.5),
                "open_p90_age_days": percentile_cont(ages, 0.9),
                "open_max_age_days": max(ages) if ages else None,
            }
        return out

    def closed_deals(self) -> list[dict]:
        closed = []
        for deal in self.deals.values():
            stage = self.stages[deal.current_stage]
            if not stage.is_terminal:
                continue
            entity = self.entities[deal.funnel_key]
            closed_date = self.reporting_date(deal.current_entered_at)
            amount = self.to_reporting(deal.amount, deal.currency, closed_date)
            lead_created = entity.created_at if deal.funnel_key[0] == "lead" else None
            closed.append(
                {
                    "deal": deal,
                    "owner_id": deal.owner_id,
                    "channel": entity.channel,
                    "is_won": stage.is_won,
                    "closed_date": closed_date,
                    "won_amount": amount if stage.is_won else None,
                    "lost_amount": None if stage.is_won else amount,
                    "cycle_seconds": (
                        (deal.current_entered_at - deal.created_at).total_seconds()
                        if stage.is_won
                        else None
                    ),
                    "lead_seconds": (
                        (deal.current_entered_at - lead_created).total_seconds()
                        if stage.is_won and lead_created
                        else None
                    ),
                }
            )
        return closed

    def _by_period_owner_channel(self, deals: list[dict]) -> dict[tuple, list[dict]]:
        groups: dict[tuple, list[dict]] = defaultdict(list)
        for d in deals:
            for grain in ("month", "quarter"):
                start = period_start(d["closed_date"], grain)
                groups[(grain, start, d["owner_id"], d["channel"])].append(d)
        return groups

    def sales_cycle_by_period(self) -> dict[tuple, dict]:
        won = [d for d in self.closed_deals() if d["is_won"]]
        out = {}
        for key, deals in self._by_period_owner_channel(won).items():
            cycle_days = sum(d["cycle_seconds"] for d in deals) / DAY_SECONDS
            with_lead = [d for d in deals if d["lead_seconds"] is not None]
            lead_days = (
                sum(d["lead_seconds"] for d in with_lead) / DAY_SECONDS if with_lead else None
            )
            amounts = [d["won_amount"] for d in deals if d["won_amount"] is not None]
            amount = sum(amounts, Decimal(0)) if amounts else None
            out[key] = {
                "period_end_date": period_end(key[1], key[0]),
                "won_deal_count": len(deals),
                "total_sales_cycle_days": cycle_days,
                "average_sales_cycle_days": ratio(cycle_days, len(deals)),
                "won_deal_with_lead_count": len(with_lead),
                "total_lead_to_won_days": lead_days,
                "average_lead_to_won_days": ratio(lead_days, len(with_lead)) if with_lead else None,
                "won_amount_reporting": amount,
                "average_deal_size_reporting": ratio(amount, len(deals))
                if amount is not None
                else None,
            }
        return out

    def win_rate_by_period(self) -> dict[tuple, dict]:
        out = {}
        for key, deals in self._by_period_owner_channel(self.closed_deals()).items():
            won = sum(1 for d in deals if d["is_won"])
            lost = len(deals) - won
            won_amount = sum(
                (d["won_amount"] for d in deals if d["won_amount"] is not None), Decimal(0)
            )
            lost_amount = sum(
                (d["lost_amount"] for d in deals if d["lost_amount"] is not None), Decimal(0)
            )
            out[key] = {
                "won_deal_count": won,
                "lost_deal_count": lost,
                "closed_deal_count": len(deals),
                "won_amount_reporting": won_amount,
                "lost_amount_reporting": lost_amount,
                "closed_amount_reporting": won_amount + lost_amount,
                "win_rate_by_count": ratio(won, won + lost),
                "win_rate_by_amount": ratio(won_amount, won_amount + lost_amount),
            }
        return out

    def deal_slippage_by_period(self) -> dict[tuple, dict]:
        days = self.pipeline_days()
        periods = {
            (g, period_start(d, g))
            for d in days
            for g in ("month", "quarter")
            if period_start(d, g) == d
        }
        groups: dict[tuple, list[tuple[bool, bool, bool]]] = defaultdict(list)
        for grain, start in periods:
            end = period_end(start, grain)
            for deal_id in self.versions:
                v = self.standing(deal_id, start)
                if v is None or v.is_deleted or not self.is_open_stage(v.stage):
                    continue
                if v.expected_close is None or not start <= v.expected_close <= end:
                    continue
                after = self.standing(deal_id, end + timedelta(days=1))
                stage = self.stages.get(after.stage) if after.stage else None
                won = bool(stage and stage.is_won and not after.is_deleted)
                lost = bool(
                    stage and stage.is_terminal and not stage.is_won and not after.is_deleted
                )
                groups[(grain, start, v.owner_id)].append((won, lost, after.is_deleted))
        out = {}
        for key, deals in groups.items():
            won = sum(1 for w, _, _ in deals if w)
            lost = sum(1 for _, lo, _ in deals if lo)
            slipped = len(deals) - won - lost
            out[key] = {
                "period_end_date": period_end(key[1], key[0]),
                "owner_team": self.owners.get(key[2], (None, None))[1],
                "expected_deal_count": len(deals),
                "won_by_end_count": won,
                "lost_by_end_count": lost,
                "slipped_deal_count": slipped,
                "deleted_by_end_count": sum(1 for _, _, deleted in deals if deleted),
                "slippage_rate": ratio(slipped * 100, len(deals)),
                "is_period_complete": period_end(key[1], key[0]) < self.as_of,
            }
        return out

    def pipeline_coverage_by_period(self) -> dict[tuple, dict]:
        last_day = self.pipeline_days()[-1]
        rows = {}
        for (owner_id, start), quota in self.quotas.items():
            if start > last_day:
                continue
            end = quota.date("period_end")
            currency = (quota.text("currency") or "").upper() or None
            count, amount, weighted = 0, Decimal(0), Decimal(0)
            for deal_id in self.versions:
                v = self.standing(deal_id, start)
                if (
                    v is None
                    or v.is_deleted
                    or not self.is_open_stage(v.stage)
                    or v.owner_id != owner_id
                ):
                    continue
                if v.expected_close is None or not start <= v.expected_close <= end:
                    continue
                count += 1
                converted = self.to_reporting(v.amount, v.currency, start)
                if converted is not None:
                    amount += converted
                    weighted += converted * self.stages[v.stage].win_probability
            team = self.owners.get(owner_id, (None, None))[1]
            rows[("owner", start, end, team, owner_id)] = {
                "quota_count": 1,
                "quota_amount_reporting": self.to_reporting(
                    quota.decimal("amount"), currency, start
                ),
                "open_deal_count": count,
                "open_pipeline_amount_reporting": amount,
                "weighted_pipeline_amount_reporting": weighted,
            }
        rollups: dict[tuple, dict] = {}
        for (_, start, end, team, _), values in rows.items():
            for key in (("team", start, end, team, None), ("total", start, end, None, None)):
                target = rollups.setdefault(key, dict.fromkeys(values, 0))
                for name, value in values.items():
                    target[name] += value
        rows.update(rollups)
        for values in rows.values():
            values["pipeline_coverage"] = ratio(
                values["open_pipeline_amount_reporting"], values["quota_amount_reporting"]
            )
            values["weighted_pipeline_coverage"] = ratio(
                values["weighted_pipeline_amount_reporting"], values["quota_amount_reporting"]
            )
        return rows

    def pipeline_daily_snapshot(self) -> dict[tuple, dict]:
        open_deal_stages = [
            s for s in self.ordered if s.entity_type == "deal" and not s.is_terminal
        ]
        out = {}
        for d in self.pipeline_days():
            counts: dict[str, int] = defaultdict(int)
            amounts: dict[str, Decimal] = defaultdict(Decimal)
            for deal_id in self.versions:
                v = self.standing(deal_id, d)
                if v is None or v.is_deleted or not self.is_open_stage(v.stage):
                    continue
                counts[v.stage] += 1
                converted = self.to_reporting(v.amount or Decimal(0), v.currency, d)
                assert converted is not None, f"no fx rate for {v.currency} on {d}"
                amounts[v.stage] += converted
            for stage in open_deal_stages:
                out[(d, stage.key)] = {
                    "open_deal_count": counts[stage.key],
                    "open_amount_reporting": amounts[stage.key],
                    "weighted_open_amount_reporting": amounts[stage.key] * stage.win_probability,
                }
        return out


# -- comparing -----------------------------------------------------------------------------------


def same(actual: object, expected: object) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    if isinstance(expected, bool) or isinstance(actual, bool):
        return bool(actual) == bool(expected)
    if isinstance(expected, int) and isinstance(actual, int):
        return actual == expected
    if isinstance(expected, Decimal) or isinstance(actual, Decimal):
        return abs(float(actual) - float(expected)) <= AMOUNT_TOLERANCE
    if isinstance(expected, float) or isinstance(actual, float):
        return abs(float(actual) - float(expected)) <= RATE_TOLERANCE
    return actual == expected


def compare(
    sample_build, mart: str, key_columns: list[str], expected: dict[tuple, dict]
) -> list[str]:
    value_columns = sorted({name for values in expected.values() for name in values})
    columns = key_columns + value_columns
    rows = sample_build.query(f"select {', '.join(columns)} from marts.{mart}")
    problems = []
    actual = {}
    for row in rows:
        key = tuple(row[: len(key_columns)])
        if key in actual:
            problems.append(f"{mart}: duplicate key {key}")
        actual[key] = dict(zip(value_columns, row[len(key_columns) :], strict=True))
    for key in sorted(set(expected) - set(actual), key=str)[:10]:
        problems.append(f"{mart}: missing row {key}")
    for key in sorted(set(actual) - set(expected), key=str)[:10]:
        problems.append(f"{mart}: unexpected row {key}")
    for key in sorted(set(actual) & set(expected), key=str):
        for name in value_columns:
            if not same(actual[key][name], expected[key][name]):
                problems.append(
                    f"{mart} {key}: {name} = {actual[key][name]!r}, oracle {expected[key][name]!r}"
                )
    return problems[:30]


# -- tests ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def oracle(sample_build) -> Oracle:
    as_of_dates = {
        row[0] for row in sample_build.query("select as_of_date from marts.stage_durations")
    }
    assert len(as_of_dates) == 1, as_of_dates
    as_of = as_of_dates.pop()
    configured = os.environ.get("FUNNEL_AS_OF_DATE", "").strip()
    if configured:
        assert as_of == date.fromisoformat(configured)
    else:
        timezone = ProjectVars.load().reporting_timezone
        today = datetime.now(ZoneInfo(timezone)).date()
        assert today - timedelta(days=1) <= as_of <= today, f"build as-of {as_of}, today {today}"
    return Oracle(sample_build.landing, as_of)


def test_sample_exercises_the_rules(oracle: Oracle) -> None:
    """The generated sample has what the marts must handle, so the comparisons mean something."""
    entities = list(oracle.entities.values())
    assert any(e.funnel_type == "deal" for e in entities)
    assert any(implied for e in entities for implied in e.reached.values())
    assert any(e.is_won for e in entities) and any(e.is_lost for e in entities)
    assert any(e.is_stalled for e in entities)
    assert {d.currency for d in oracle.deals.values()} - {oracle.vars.reporting_currency}
    assert any(r["is_won"] for r in oracle.closed_deals()) and any(
        not r["is_won"] for r in oracle.closed_deals()
    )
    assert any(len(vs) > 1 for vs in oracle.versions.values())
    slippage = oracle.deal_slippage_by_period()
    assert any(v["slipped_deal_count"] for v in slippage.values())
    assert any(v["won_by_end_count"] + v["lost_by_end_count"] for v in slippage.values())
    coverage = oracle.pipeline_coverage_by_period()
    assert any(v["open_deal_count"] for v in coverage.values())


def test_funnel_conversion_by_cohort_matches_oracle(sample_build, oracle: Oracle) -> None:
    keys = [
        "cohort_grain",
        "cohort_start_date",
        "funnel_entity_type",
        "channel",
        "acquisition_source",
    ]
    keys += ["acquisition_campaign", "stage_key"]
    assert (
        compare(
            sample_build, "funnel_conversion_by_cohort", keys, oracle.funnel_conversion_by_cohort()
        )
        == []
    )


def test_funnel_drop_off_by_cohort_matches_oracle(sample_build, oracle: Oracle) -> None:
    keys = [
        "cohort_month",
        "funnel_entity_type",
        "channel",
        "acquisition_source",
        "acquisition_campaign",
    ]
    keys += ["stage_key"]
    assert (
        compare(sample_build, "funnel_drop_off_by_cohort", keys, oracle.funnel_drop_off_by_cohort())
        == []
    )


def test_stalled_entities_match_oracle(sample_build, oracle: Oracle) -> None:
    keys = ["funnel_entity_type", "funnel_entity_id"]
    assert compare(sample_build, "stalled_entities", keys, oracle.stalled_entities()) == []


def test_stage_durations_match_oracle(sample_build, oracle: Oracle) -> None:
    assert compare(sample_build, "stage_durations", ["stage_key"], oracle.stage_durations()) == []


def test_sales_cycle_by_period_matches_oracle(sample_build, oracle: Oracle) -> None:
    keys = ["period_grain", "period_start_date", "owner_id", "channel"]
    assert (
        compare(sample_build, "sales_cycle_by_period", keys, oracle.sales_cycle_by_period()) == []
    )


def test_win_rate_by_period_matches_oracle(sample_build, oracle: Oracle) -> None:
    keys = ["period_grain", "period_start_date", "owner_id", "channel"]
    assert compare(sample_build, "win_rate_by_period", keys, oracle.win_rate_by_period()) == []


def test_deal_slippage_by_period_matches_oracle(sample_build, oracle: Oracle) -> None:
    keys = ["period_grain", "period_start_date", "owner_id"]
    assert (
        compare(sample_build, "deal_slippage_by_period", keys, oracle.deal_slippage_by_period())
        == []
    )


def test_pipeline_coverage_by_period_matches_oracle(sample_build, oracle: Oracle) -> None:
    keys = ["coverage_level", "period_start_date", "period_end_date", "owner_team", "owner_id"]
    assert (
        compare(
            sample_build, "pipeline_coverage_by_period", keys, oracle.pipeline_coverage_by_period()
        )
        == []
    )


def test_pipeline_daily_snapshot_matches_oracle(sample_build, oracle: Oracle) -> None:
    keys = ["snapshot_date", "stage_key"]
    assert (
        compare(sample_build, "pipeline_daily_snapshot", keys, oracle.pipeline_daily_snapshot())
        == []
    )
