"""Oracle for the marketing marts: spend, CPL, cost per stage, CAC, ROI, incremental ROMI, every
attribution model at every funnel stage, won revenue and collected payments credited to touches,
and the lead score, recomputed in plain Python from the landed CSV files of a generated dataset
(csv module, no SQL) and compared with ``marts.fct_attribution_credits``,
``marts.attributed_revenue_by_stage``, ``marts.marketing_efficiency_by_month``,
``marts.lead_scores`` and ``marts.lead_score_lift``.

The rules are the ones documented in ``models/marts/marketing/_marketing__docs.md`` and the
model YAML, implemented here a second time, independently of the dbt models: latest versions as
staging keeps them; CRM labels mapped through the seed; funnel milestones (a record's creation
and its mapped changes, never before its creation; reached k = first event at stage order >= k;
a lead's deals belong to the lead); the deal's current stage and the day it was won; touches at
or before each milestone; the five attribution models with exact fractions; collected invoices
credited through the customer's CRM account to the account's first won funnel entity; the
lead scoring seed evaluated rule by rule. Counts must match exactly, money and rates within
1e-6 relative, credits within 1e-9.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.oracle_inputs import LandedRow as Row
from tests.oracle_inputs import (
    clean,
    dbt_vars,
    funnel_stages,
    landed_rows,
    ordered_stages,
    read_seed,
)

MODELS = ("first_touch", "last_touch", "last_non_direct_touch", "linear", "position_based")
#: marketing_efficiency_by_month counts every funnel milestone but `proposal` (a sales step with
#: no cost-per figure): one <stage>_count column each
COUNTED_STAGES = tuple(s.key for s in ordered_stages() if s.key != "proposal")
UNATTRIBUTED = "unattributed"
NANO = Decimal("0.000000001")
RELATIVE_TOLERANCE = 1e-6
CREDIT_TOLERANCE = 1e-9


# -- latest versions, labels --------------------------------------------------------------------


def latest(rows: Iterable[Row], key: tuple[str, ...], order: str | None = None) -> dict[tuple, Row]:
    """The latest version per key: greatest ``order`` timestamp, then the last file and line."""
    best: dict[tuple, tuple[tuple, Row]] = {}
    for row in rows:
        identity = tuple(row.text(k, lowercase=k in ("platform", "keyword")) for k in key)
        rank = ((row.timestamp(order),) if order else ()) + (row.file, row.line)
        if identity not in best or rank > best[identity][0]:
            best[identity] = (rank, row)
    return {identity: row for identity, (_, row) in best.items()}


def label_key(label: str | None) -> str | None:
    if label is None:
        return None
    text = re.sub(r"[\s\u00a0]+", " ", unicodedata.normalize("NFC", label)).strip().lower()
    return text or None


def to_nano(value: Decimal) -> Decimal:
    return value.quantize(NANO, rounding=ROUND_HALF_UP)


@dataclass
class Settings:
    reporting_currency: str
    timezone: ZoneInfo
    default_source_system: str
    roi_model: str
    direct_channel: str

    @classmethod
    def from_project(cls) -> Settings:
        variables = dbt_vars()
        return cls(
            str(variables["reporting_currency"]).strip().upper(),
            ZoneInfo(str(variables.get("reporting_timezone") or "UTC").strip()),
            str(variables["default_source_system"]).strip().lower(),
            str(variables.get("roi_attribution_model", "position_based")).strip().lower(),
            str(variables.get("attribution_direct_channel", "direct")).strip().lower(),
        )

    def day(self, moment: datetime) -> date:
        return moment.replace(tzinfo=UTC).astimezone(self.timezone).date()

    def month(self, moment: datetime | date) -> date:
        day = self.day(moment) if isinstance(moment, datetime) else moment
        return day.replace(day=1)


class ChannelMapper:
    """seeds/channel_mapping.csv: exact source + medium, then source + '*', '*' + medium, '*'."""

    def __init__(self) -> None:
        self.rules = []
        for row in read_seed("channel_mapping.csv"):
            source, medium = row["source"].strip().lower(), row["medium"].strip().lower()
            rank = 1 if source != "*" and medium != "*" else 2 if source != "*" else 3
            rank = 4 if source == "*" and medium == "*" else rank
            self.rules.append((rank, row["channel"].strip().lower(), source, medium))
        self.rules.sort()

    def __call__(self, source: str | None, medium: str | None) -> str | None:
        for _, channel, rule_source, rule_medium in self.rules:
            if rule_source in ("*", source) and rule_medium in ("*", medium):
                return channel
        return None


# -- the funnel: records, events, milestones, won deals --------------------------------------


@dataclass
class Event:
    changed_at: datetime
    is_creation: bool
    recorded_at: datetime
    stage: str
    order: int | None


@dataclass
class Record:
    entity_type: str
    record_id: str
    created_at: datetime
    entity: tuple[str, str]
    events: list[Event] = field(default_factory=list)


@dataclass
class Entity:
    key: tuple[str, str]
    source: str | None = None
    medium: str | None = None
    campaign: str | None = None
    channel: str | None = None
    reached: dict[str, datetime] = field(default_factory=dict)
    won_amount: Decimal | None = None
    collected: Decimal | None = None


@dataclass
class Touch:
    touchpoint_id: str
    lead_id: str
    occurred_at: datetime
    source: str | None
    medium: str | None
    campaign: str | None
    keyword: str | None
    touch_type: str | None
    channel: str | None


@dataclass
class Oracle:
    landing: Path
    settings: Settings = field(default_factory=Settings.from_project)
    mapper: ChannelMapper = field(default_factory=ChannelMapper)
    rates: dict[tuple[date, str], Decimal] = field(default_factory=dict)
    leads: dict[str, Row] = field(default_factory=dict)
    entities: dict[tuple[str, str], Entity] = field(default_factory=dict)
    won_deals: dict[str, tuple[datetime, tuple[str, str], str | None]] = field(default_factory=dict)
    touches: dict[str, list[Touch]] = field(default_factory=dict)
    credits: dict[tuple, Fraction] = field(default_factory=dict)
    touches_before: dict[tuple, list[Touch]] = field(default_factory=dict)
    invoices: list[dict] = field(default_factory=list)
    spend: list[dict] = field(default_factory=list)
    by_stage: dict[tuple, dict] = field(default_factory=dict)
    efficiency: dict[tuple, dict] = field(default_factory=dict)
    scores: dict[str, tuple[int, str]] = field(default_factory=dict)
    #: lead -> (matched_rule_count, the matched rule ids sorted and joined with ", ", or None)
    matched_rules: dict[str, tuple[int, str | None]] = field(default_factory=dict)
    lift: dict[str, dict] = field(default_factory=dict)

    def run(self) -> Oracle:
        self._read_rates()
        self._build_funnel()
        self._read_touches()
        self._credit_touches()
        self._read_payments()
        self._read_spend()
        self._summarise_by_stage()
        self._summarise_efficiency()
        self._score_leads()
        return self

    def to_reporting(self, amount: Decimal, currency: str, day: date) -> Decimal:
        if currency == self.settings.reporting_currency:
            return amount
        return amount * self.rates[(day, currency)]

    def _read_rates(self) -> None:
        for row in landed_rows(self.landing, "finance/fx_rates"):  # a later file or line wins
            key = (date.fromisoformat(row.text("date")), row.text("currency").upper())
            self.rates[key] = row.decimal("rate_to_reporting")

    def _build_funnel(self) -> None:
        settings = self.settings
        stages = funnel_stages()
        order = {k: stage.order for k, stage in stages.items()}
        is_won = {k: stage.is_won for k, stage in stages.items()}
        entry = {
            kind: min((o, k) for k, o in order.items() if o and stages[k].entity_type == kind)[1]
            for kind in ("lead", "deal")
        }
        labels = {
            (
                r["source_system"].strip().lower(),
                r["entity_type"].strip().lower(),
                label_key(r["label"]),
            ): r["stage_key"].strip().lower()
            for r in read_seed("crm_stage_labels.csv")
        }

        self.leads = {
            k[0]: v
            for k, v in latest(
                landed_rows(self.landing, "crm/leads"), ("lead_id",), "updated_at"
            ).items()
        }
        deals = {
            k[0]: v
            for k, v in latest(
                landed_rows(self.landing, "crm/deals"), ("deal_id",), "updated_at"
            ).items()
        }
        records: dict[tuple[str, str], Record] = {}
        for lead_id, lead in self.leads.items():
            records["lead", lead_id] = Record(
                "lead", lead_id, lead.timestamp("created_at"), ("lead", lead_id)
            )
            source, medium = lead.text("source", True), lead.text("medium", True)
            self.entities["lead", lead_id] = Entity(
                ("lead", lead_id),
                source,
                medium,
                lead.text("campaign", True),
                self.mapper(source, medium),
            )
        for deal_id, deal in deals.items():
            if deal.boolean("is_deleted"):
                continue
            lead_id = deal.text("lead_id")
            entity = ("lead", lead_id) if lead_id in self.leads else ("deal", deal_id)
            records["deal", deal_id] = Record("deal", deal_id, deal.timestamp("created_at"), entity)
            if entity not in self.entities:
                self.entities[entity] = Entity(entity, channel=self.mapper(None, None))

        changes = [
            ("lead", "lead_id", "status", r)
            for r in landed_rows(self.landing, "crm/lead_status_changes")
        ]
        changes += [
            ("deal", "deal_id", "stage", r)
            for r in landed_rows(self.landing, "crm/deal_stage_changes")
        ]
        for kind, id_column, label_column, row in changes:
            record = records.get((kind, row.text(id_column)))
            if record is None:
                continue
            system = row.text("source_system", True) or settings.default_source_system
            key = label_key(row.text(label_column))
            stage = labels.get((system, kind, key)) or labels.get(("*", kind, key))
            if stage is None:
                continue
            changed = row.timestamp("changed_at")
            record.events.append(
                Event(max(changed, record.created_at), False, changed, stage, order[stage])
            )

        for record in records.values():
            if not any(
                e.order is not None and e.recorded_at <= record.created_at for e in record.events
            ):
                stage = entry[record.entity_type]
                record.events.append(
                    Event(record.created_at, True, record.created_at, stage, order[stage])
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
            entity = self.entities[record.entity]
            for stage, stage_order in order.items():
                if stage_order is None:
                    continue
                times = [
                    e.changed_at
                    for e in record.events
                    if e.order is not None and e.order >= stage_order
                ]
                if times and (stage not in entity.reached or min(times) < entity.reached[stage]):
                    entity.reached[stage] = min(times)
            if record.entity_type == "deal" and is_won[record.events[-1].stage]:
                won_stage = record.events[-1].stage
                won_at = record.events[-1].changed_at
                for event in reversed(record.events):
                    if event.stage != won_stage:
                        break
                    won_at = event.changed_at
                deal = deals[record.record_id]
                amount = self.to_reporting(
                    deal.decimal("amount"), deal.text("currency").upper(), settings.day(won_at)
                )
                entity.won_amount = (entity.won_amount or Decimal(0)) + amount
                self.won_deals[record.record_id] = (won_at, record.entity, deal.text("account_id"))
        self.first_stage = min((o, k) for k, o in order.items() if o)[1]
        self.won_stage = next(k for k, won in is_won.items() if won)

    def _read_touches(self) -> None:
        by_lead: dict[str, list[Touch]] = defaultdict(list)
        for (touchpoint_id,), row in latest(
            landed_rows(self.landing, "web/touchpoints"), ("touchpoint_id",)
        ).items():
            lead_id = row.text("lead_id")
            if lead_id is None:
                continue
            source, medium = row.text("source", True), row.text("medium", True)
            by_lead[lead_id].append(
                Touch(
                    touchpoint_id,
                    lead_id,
                    row.timestamp("occurred_at"),
                    source,
                    medium,
                    row.text("campaign", True),
                    row.text("keyword", True),
                    row.text("touch_type", True),
                    self.mapper(source, medium),
                )
            )
        self.touches = {
            lead: sorted(t, key=lambda x: (x.occurred_at, x.touchpoint_id))
            for lead, t in by_lead.items()
        }

    @staticmethod
    def model_credits(model: str, touches: list[Touch], direct: str) -> list[Fraction]:
        n = len(touches)
        credits = [Fraction(0)] * n
        if model == "first_touch":
            credits[0] = Fraction(1)
        elif model == "last_touch":
            credits[-1] = Fraction(1)
        elif model == "last_non_direct_touch":
            non_direct = [i for i, t in enumerate(touches) if t.channel != direct]
            credits[non_direct[-1] if non_direct else n - 1] = Fraction(1)
        elif model == "linear" or n <= 2:
            credits = [Fraction(1, n)] * n
        else:
            credits = [Fraction(2, 5)] + [Fraction(1, 5) / (n - 2)] * (n - 2) + [Fraction(2, 5)]
        return credits

    def _credit_touches(self) -> None:
        for entity in self.entities.values():
            if entity.key[0] != "lead":
                continue
            for stage, reached_at in entity.reached.items():
                before = [
                    t for t in self.touches.get(entity.key[1], []) if t.occurred_at <= reached_at
                ]
                if not before:
                    continue
                self.touches_before[(*entity.key, stage)] = before
                for model in MODELS:
                    for touch, credit in zip(
                        before,
                        self.model_credits(model, before, self.settings.direct_channel),
                        strict=True,
                    ):
                        if credit:
                            self.credits[(*entity.key, stage, model, touch.touchpoint_id)] = credit

    def _read_payments(self) -> None:
        """Collected invoices, linked customer -> CRM account -> the account's first won entity."""
        deals = latest(landed_rows(self.landing, "crm/deals"), ("deal_id",), "updated_at").values()
        accounts: set[str] = set()
        domain_accounts: dict[str, set[str]] = defaultdict(set)
        for deal in deals:
            account_id = deal.text("account_id")
            if account_id is None or deal.boolean("is_deleted"):
                continue
            accounts.add(account_id)
            lead = self.leads.get(deal.text("lead_id"))
            for domain in (
                deal.text("account_domain"),
                lead.text("company_domain") if lead else None,
            ):
                if normalize_domain(domain):
                    domain_accounts[normalize_domain(domain)].add(account_id)
        customer_account: dict[str, str | None] = {}
        for (customer_id,), row in latest(
            landed_rows(self.landing, "payments/customers"), ("customer_id",)
        ).items():
            crm_account_id = row.text("crm_account_id")
            candidates = domain_accounts.get(
                normalize_domain(row.text("company_domain")) or "", set()
            )
            if crm_account_id in accounts:
                customer_account[customer_id] = crm_account_id
            elif len(candidates) == 1:
                customer_account[customer_id] = next(iter(candidates))
            else:
                customer_account[customer_id] = None
        first_won: dict[str, tuple[datetime, str, tuple[str, str]]] = {}
        for deal_id, (won_at, entity, account_id) in self.won_deals.items():
            if account_id and (
                account_id not in first_won or (won_at, deal_id) < first_won[account_id][:2]
            ):
                first_won[account_id] = (won_at, deal_id, entity)
        for (invoice_id,), row in latest(
            landed_rows(self.landing, "payments/invoices"), ("invoice_id",), "updated_at"
        ).items():
            amount, paid_at = row.decimal("amount"), row.timestamp("paid_at")
            if (
                row.text("status", True) != "paid"
                or amount is None
                or amount <= 0
                or paid_at is None
            ):
                continue
            account_id = customer_account.get(row.text("customer_id"))
            entity = first_won[account_id][2] if account_id in first_won else None
            collected = to_nano(
                self.to_reporting(amount, row.text("currency").upper(), self.settings.day(paid_at))
            )
            self.invoices.append(
                {
                    "invoice_id": invoice_id,
                    "customer_id": row.text("customer_id"),
                    "paid_at": paid_at,
                    "amount": collected,
                    "entity": entity,
                }
            )
            if entity is not None:
                target = self.entities[entity]
                target.collected = (target.collected or Decimal(0)) + collected

    def _read_spend(self) -> None:
        key = ("date", "platform", "campaign_id", "ad_group", "keyword")
        for row in latest(landed_rows(self.landing, "ads/spend"), key).values():
            day = date.fromisoformat(row.text("date"))
            source, medium = row.text("utm_source", True), row.text("utm_medium", True)
            amount = to_nano(
                self.to_reporting(row.decimal("spend"), row.text("currency").upper(), day)
            )
            self.spend.append(
                {
                    "month": day.replace(day=1),
                    "key": (
                        self.mapper(source, medium),
                        source,
                        medium,
                        row.text("utm_campaign", True),
                    ),
                    "amount": amount,
                    "impressions": int(row.text("impressions") or 0),
                    "clicks": int(row.text("clicks") or 0),
                }
            )

    # -- attributed_revenue_by_stage ------------------------------------------------------------

    def _summarise_by_stage(self) -> None:
        rows: dict[tuple, dict] = defaultdict(
            lambda: {
                "conversions": Fraction(0),
                "touches": 0,
                "won": Fraction(0),
                "collected": Fraction(0),
            }
        )
        for entity in self.entities.values():
            won = Fraction(entity.won_amount or 0)
            collected = Fraction(entity.collected or 0)
            for stage, reached_at in entity.reached.items():
                month = self.settings.month(reached_at)
                before = self.touches_before.get((*entity.key, stage))
                for model in MODELS:
                    if not before:
                        row = rows[(model, stage, month, UNATTRIBUTED, None, None, None, None)]
                        row["conversions"] += 1
                        row["won"] += won
                        row["collected"] += collected
                        continue
                    for touch in before:
                        credit = self.credits.get((*entity.key, stage, model, touch.touchpoint_id))
                        if credit is None:
                            continue
                        key = (
                            model,
                            stage,
                            month,
                            touch.channel,
                            touch.source,
                            touch.medium,
                            touch.campaign,
                            touch.keyword,
                        )
                        rows[key]["conversions"] += credit
                        rows[key]["touches"] += 1
                        rows[key]["won"] += credit * won
                        rows[key]["collected"] += credit * collected
        self.by_stage = dict(rows)

    # -- marketing_efficiency_by_month ----------------------------------------------------------

    def _summarise_efficiency(self) -> None:
        measures = (
            "spend",
            "impressions",
            "clicks",
            *(f"{s}_count" for s in COUNTED_STAGES),
            "new_paying_customers",
            "won_revenue",
            "collected_payments",
        )
        activity: dict[tuple, dict] = defaultdict(lambda: dict.fromkeys(measures, Fraction(0)))
        for spend in self.spend:
            row = activity[(spend["month"], *spend["key"])]
            row["spend"] += Fraction(spend["amount"])
            row["impressions"] += spend["impressions"]
            row["clicks"] += spend["clicks"]
        for entity in self.entities.values():
            keys = (entity.channel, entity.source, entity.medium, entity.campaign)
            for stage in COUNTED_STAGES:
                if stage in entity.reached:
                    activity[(self.settings.month(entity.reached[stage]), *keys)][
                        f"{stage}_count"
                    ] += 1
        first_payment: dict[str, dict] = {}
        for invoice in self.invoices:
            current = first_payment.get(invoice["customer_id"])
            if current is None or (invoice["paid_at"], invoice["invoice_id"]) < (
                current["paid_at"],
                current["invoice_id"],
            ):
                first_payment[invoice["customer_id"]] = invoice
        for invoice in first_payment.values():
            entity = self.entities.get(invoice["entity"]) if invoice["entity"] else None
            keys = (
                (entity.channel, entity.source, entity.medium, entity.campaign)
                if entity
                else (UNATTRIBUTED, None, None, None)
            )
            activity[(self.settings.month(invoice["paid_at"]), *keys)]["new_paying_customers"] += 1
        model = self.settings.roi_model
        for (row_model, stage, month, *touch_keys), values in self.by_stage.items():
            if row_model == model and stage == self.won_stage:
                activity[(month, *touch_keys[:4])]["won_revenue"] += values["won"]
        for invoice in self.invoices:
            month = self.settings.month(invoice["paid_at"])
            before = (
                self.touches_before.get((*invoice["entity"], self.won_stage))
                if invoice["entity"]
                else None
            )
            if not before:
                activity[(month, UNATTRIBUTED, None, None, None)]["collected_payments"] += Fraction(
                    invoice["amount"]
                )
                continue
            for touch in before:
                credit = self.credits.get(
                    (*invoice["entity"], self.won_stage, model, touch.touchpoint_id)
                )
                if credit is not None:
                    key = (month, touch.channel, touch.source, touch.medium, touch.campaign)
                    activity[key]["collected_payments"] += credit * Fraction(invoice["amount"])

        months = sorted({key[0] for key in activity})
        first_month, last_month = months[0], months[-1]
        key_months = set(activity)
        for month, *keys in list(activity):
            if month < last_month:
                key_months.add((next_month(month), *keys))
        zero = dict.fromkeys(measures, Fraction(0))
        for month, *keys in key_months:
            row = dict(activity.get((month, *keys), zero))
            previous = activity.get((previous_month(month), *keys), zero)
            spend = row["spend"]
            has_previous = month > first_month

            def ratio(numerator: Fraction, denominator: Fraction) -> float | None:
                return float(numerator / denominator) if denominator else None

            row.update(
                previous_spend=previous["spend"],
                previous_won_revenue=previous["won_revenue"],
                cost_per_lead=ratio(spend, row["lead_count"]),
                cost_per_mql=ratio(spend, row["mql_count"]),
                cost_per_sql=ratio(spend, row["sql_count"]),
                cost_per_opportunity=ratio(spend, row["opportunity_count"]),
                cost_per_won=ratio(spend, row["won_count"]),
                cac_marketing_only=ratio(spend, row["new_paying_customers"]),
                roi=ratio(row["won_revenue"] - spend, spend),
                roi_on_collected_payments=ratio(row["collected_payments"] - spend, spend),
                incremental_romi=(
                    ratio(row["won_revenue"] - previous["won_revenue"], spend - previous["spend"])
                    if has_previous and spend != previous["spend"]
                    else None
                ),
                has_previous_month=has_previous,
            )
            self.efficiency[(month, *keys)] = row

    # -- lead scores ----------------------------------------------------------------------------

    def lead_attributes(self, lead_id: str, lead: Row) -> dict[str, str | Decimal | None]:
        email = lead.text("email", lowercase=True) or ""
        capture = self.touches_before.get(("lead", lead_id, self.first_stage), [])
        size = lead.text("company_size")
        return {
            "company_size": Decimal(size) if size is not None else None,
            "industry": lead.text("industry", True),
            "job_title": lead.text("job_title", True),
            "country": lead.text("country", True),
            "email_domain": (email.rsplit("@", 1)[-1] or None) if "@" in email else None,
            "channel": self.entities["lead", lead_id].channel,
            "touch_count": Decimal(len(capture)),
            "conversion_touch_type": capture[-1].touch_type if capture else None,
            "has_phone": "true" if lead.text("phone") else "false",
        }

    def _score_leads(self) -> None:
        rules: dict[str, list[dict]] = defaultdict(list)
        for rule in read_seed("lead_scoring_rules.csv"):
            rules[rule["rule_id"]].append(rule)

        def matches(rule: dict, value: str | Decimal | None) -> bool:
            operator, expected = rule["operator"].strip().lower(), rule["value"].strip()
            if value is None:
                return False
            if operator in (">=", ">", "<=", "<"):
                number, bound = Decimal(value), Decimal(expected)
                return {
                    ">=": number >= bound,
                    ">": number > bound,
                    "<=": number <= bound,
                    "<": number < bound,
                }[operator]
            text = str(value).lower()
            return {
                "=": text == expected.lower(),
                "contains": expected.lower() in text,
                "is_true": text == "true",
                "is_false": text == "false",
            }[operator]

        bands = read_seed("lead_score_bands.csv")
        for lead_id, lead in self.leads.items():
            attributes = self.lead_attributes(lead_id, lead)
            matched = sorted(
                rule_id
                for rule_id, rows in rules.items()
                if any(matches(r, attributes[r["attribute"].strip().lower()]) for r in rows)
            )
            score = sum(int(rules[rule_id][0]["points"]) for rule_id in matched)
            self.matched_rules[lead_id] = (len(matched), ", ".join(matched) or None)
            band = [
                b["score_band"]
                for b in bands
                if (not b["min_score"].strip() or score >= int(b["min_score"]))
                and (not b["max_score"].strip() or score < int(b["max_score"]))
            ]
            assert len(band) == 1, f"{lead_id}: score {score} falls in bands {band}"
            self.scores[lead_id] = (score, band[0])
        reached = {
            lead_id: ("sql" in stages, "won" in stages)
            for lead_id in self.leads
            for stages in (self.entities["lead", lead_id].reached,)
        }
        total = len(self.leads)
        overall_sql = sum(s for s, _ in reached.values()) / total
        overall_won = sum(w for _, w in reached.values()) / total
        for band in bands:
            members = [lead for lead, (_, b) in self.scores.items() if b == band["score_band"]]
            sql = sum(reached[lead][0] for lead in members)
            won = sum(reached[lead][1] for lead in members)
            sql_rate = sql / len(members) if members else None
            won_rate = won / len(members) if members else None
            self.lift[band["score_band"]] = {
                "lead_count": len(members),
                "sql_count": sql,
                "won_count": won,
                "sql_conversion_rate": sql_rate,
                "won_conversion_rate": won_rate,
                "sql_lift": sql_rate / overall_sql
                if sql_rate is not None and overall_sql
                else None,
                "won_lift": won_rate / overall_won
                if won_rate is not None and overall_won
                else None,
            }


def normalize_domain(text: str | None) -> str | None:
    """Same rules as the normalize_domain macro."""
    if text is None:
        return None
    value = re.sub(r"^[a-z][a-z0-9+.-]*://", "", clean(text, lowercase=True) or "")
    return re.sub(r"^www[.]|[/?#:].*$", "", value) or None


def next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - (month.month == 1), (month.month - 2) % 12 + 1, 1)


# -- comparing ----------------------------------------------------------------------------------


def close(actual: object, expected: object, relative: float = RELATIVE_TOLERANCE) -> bool:
    if actual is None or expected is None:
        return actual is None and expected is None
    a, e = float(actual), float(expected)
    return abs(a - e) <= relative * max(1.0, abs(e))


def compare_keys(name: str, actual: dict, expected: dict) -> list[str]:
    missing = sorted(set(expected) - set(actual), key=str)
    extra = sorted(set(actual) - set(expected), key=str)
    return [f"{name} lacks {key}" for key in missing[:10]] + [
        f"{name} has unexpected {key}" for key in extra[:10]
    ]


@pytest.fixture(scope="module")
def oracle(sample_build) -> Oracle:
    return Oracle(sample_build.landing).run()


def test_sample_exercises_every_rule(oracle: Oracle) -> None:
    """Without these cases in the generated data the comparisons below could not fail."""
    channels = {t.channel for touches in oracle.touches_before.values() for t in touches}
    assert len(channels) >= 5, f"touch channels: {channels}"
    counts = {len(touches) for touches in oracle.touches_before.values()}
    assert max(counts) >= 4 and {1, 2, 3} <= counts, f"touch counts: {sorted(counts)}"
    differs = [
        key
        for key, touches in oracle.touches_before.items()
        if touches[-1].channel == oracle.settings.direct_channel
        and any(t.channel != oracle.settings.direct_channel for t in touches)
    ]
    assert differs, "no milestone whose last touch is direct after a non-direct one"
    assert any(key[3] == UNATTRIBUTED for key in oracle.by_stage), "no unattributed entity"
    assert any(e.won_amount for e in oracle.entities.values() if e.key[0] == "lead")
    linked = [i for i in oracle.invoices if i["entity"] is not None]
    assert linked and len(linked) < len(oracle.invoices), "linked and unlinked collected invoices"
    changed = [
        r
        for r in oracle.efficiency.values()
        if r["has_previous_month"]
        and r["spend"]
        and r["previous_spend"]
        and r["spend"] != r["previous_spend"]
    ]
    assert changed, "no month in which a campaign's budget changed"
    assert any(
        r["incremental_romi"] is None and r["has_previous_month"]
        for r in oracle.efficiency.values()
    )
    assert len({band for _, band in oracle.scores.values()}) >= 3, "leads in several score bands"


CREDIT_SQL = """
    select funnel_entity_type, funnel_entity_id, stage_key, attribution_model, touchpoint_id,
        credit, credited_won_amount, credited_collected_amount
    from marts.fct_attribution_credits
"""


def test_attribution_credits_match_oracle(sample_build, oracle: Oracle) -> None:
    actual = {tuple(r[:5]): r[5:] for r in sample_build.query(CREDIT_SQL)}
    problems = compare_keys("fct_attribution_credits", actual, oracle.credits)
    for key in sorted(set(actual) & set(oracle.credits)):
        credit, won, collected = actual[key]
        expected = oracle.credits[key]
        entity = oracle.entities[key[:2]]
        if abs(float(credit) - float(expected)) > CREDIT_TOLERANCE:
            problems.append(f"{key}: credit {credit} != {float(expected)}")
        if not close(
            won, None if entity.won_amount is None else expected * Fraction(entity.won_amount)
        ):
            problems.append(f"{key}: credited_won_amount {won}")
        if not close(
            collected, None if entity.collected is None else expected * Fraction(entity.collected)
        ):
            problems.append(f"{key}: credited_collected_amount {collected}")
    assert not problems, "\n".join(problems[:40])


BY_STAGE_SQL = """
    select attribution_model, stage_key, milestone_month, channel, touch_source, touch_medium,
        touch_campaign, keyword, attributed_conversions, credited_touch_count,
        attributed_won_revenue, attributed_collected_payments
    from marts.attributed_revenue_by_stage
"""


def test_attributed_revenue_by_stage_matches_oracle(sample_build, oracle: Oracle) -> None:
    actual = {tuple(r[:8]): r[8:] for r in sample_build.query(BY_STAGE_SQL)}
    problems = compare_keys("attributed_revenue_by_stage", actual, oracle.by_stage)
    for key in sorted(set(actual) & set(oracle.by_stage), key=str):
        conversions, touches, won, collected = actual[key]
        expected = oracle.by_stage[key]
        if abs(float(conversions) - float(expected["conversions"])) > CREDIT_TOLERANCE * 1000:
            problems.append(
                f"{key}: attributed_conversions {conversions} != {float(expected['conversions'])}"
            )
        if touches != expected["touches"]:
            problems.append(f"{key}: credited_touch_count {touches} != {expected['touches']}")
        if not close(won, expected["won"]):
            problems.append(f"{key}: attributed_won_revenue {won} != {float(expected['won'])}")
        if not close(collected, expected["collected"]):
            problems.append(
                f"{key}: attributed_collected_payments {collected}"
                f" != {float(expected['collected'])}"
            )
    assert not problems, "\n".join(problems[:40])


EFFICIENCY_COLUMNS = {
    "spend_amount_reporting": "spend",
    "impressions": "impressions",
    "clicks": "clicks",
    "lead_count": "lead_count",
    "mql_count": "mql_count",
    "sql_count": "sql_count",
    "opportunity_count": "opportunity_count",
    "won_count": "won_count",
    "new_paying_customer_count": "new_paying_customers",
    "attributed_won_revenue": "won_revenue",
    "attributed_collected_payments": "collected_payments",
    "previous_spend_amount_reporting": "previous_spend",
    "previous_attributed_won_revenue": "previous_won_revenue",
    "cost_per_lead": "cost_per_lead",
    "cost_per_mql": "cost_per_mql",
    "cost_per_sql": "cost_per_sql",
    "cost_per_opportunity": "cost_per_opportunity",
    "cost_per_won": "cost_per_won",
    "cac_marketing_only": "cac_marketing_only",
    "roi": "roi",
    "roi_on_collected_payments": "roi_on_collected_payments",
    "incremental_romi": "incremental_romi",
    "has_previous_month": "has_previous_month",
}
EXACT_COLUMNS = {"impressions", "clicks", "has_previous_month"} | {
    c for c in EFFICIENCY_COLUMNS if c.endswith("_count")
}


def test_marketing_efficiency_by_month_matches_oracle(sample_build, oracle: Oracle) -> None:
    sql = (
        f"select report_month, channel, utm_source, utm_medium, utm_campaign, attribution_model, "
        f"{', '.join(EFFICIENCY_COLUMNS)} from marts.marketing_efficiency_by_month"
    )
    rows = sample_build.query(sql)
    assert {r[5] for r in rows} == {oracle.settings.roi_model}
    actual = {tuple(r[:5]): dict(zip(EFFICIENCY_COLUMNS, r[6:], strict=True)) for r in rows}
    problems = compare_keys("marketing_efficiency_by_month", actual, oracle.efficiency)
    for key in sorted(set(actual) & set(oracle.efficiency), key=str):
        for column, name in EFFICIENCY_COLUMNS.items():
            got, expected = actual[key][column], oracle.efficiency[key][name]
            ok = got == expected if column in EXACT_COLUMNS else close(got, expected)
            if not ok:
                problems.append(f"{key} {column}: {got} != {expected}")
    assert not problems, "\n".join(problems[:40])


def test_lead_scores_and_lift_match_oracle(sample_build, oracle: Oracle) -> None:
    actual = {
        r[0]: (r[1], r[2])
        for r in sample_build.query("select lead_id, lead_score, score_band from marts.lead_scores")
    }
    problems = compare_keys("lead_scores", actual, oracle.scores)
    problems += [
        f"{lead}: {actual[lead]} != {oracle.scores[lead]}"
        for lead in sorted(set(actual) & set(oracle.scores))
        if actual[lead] != oracle.scores[lead]
    ]
    # which rules matched, sorted by rule_id (sorted_listagg)
    matched = {
        r[0]: (r[1], r[2])
        for r in sample_build.query(
            "select lead_id, matched_rule_count, matched_rules from marts.lead_scores"
        )
    }
    problems += [
        f"{lead}: matched {matched[lead]} != {oracle.matched_rules[lead]}"
        for lead in sorted(set(matched) & set(oracle.matched_rules))
        if matched[lead] != oracle.matched_rules[lead]
    ]
    columns = (
        "lead_count",
        "sql_count",
        "won_count",
        "sql_conversion_rate",
        "won_conversion_rate",
        "sql_lift",
        "won_lift",
    )
    lift = {
        r[0]: dict(zip(columns, r[1:], strict=True))
        for r in sample_build.query(
            f"select score_band, {', '.join(columns)} from marts.lead_score_lift"
        )
    }
    problems += compare_keys("lead_score_lift", lift, oracle.lift)
    for band in sorted(set(lift) & set(oracle.lift)):
        for column in columns:
            got, expected = lift[band][column], oracle.lift[band][column]
            if not (got == expected if column.endswith("_count") else close(got, expected)):
                problems.append(f"band {band} {column}: {got} != {expected}")
    assert not problems, "\n".join(problems[:40])
