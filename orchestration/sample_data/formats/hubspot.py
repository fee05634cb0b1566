"""The generated world as a loader's HubSpot dump (Fivetran's tables, ``property_`` columns).

Converted from the canonical CRM files, window by window (``contact/contact__<window>.csv``).
Every canonical label is mapped to its funnel stage by seeds/crm_stage_labels.csv, then to
HubSpot's value for that stage (``LIFECYCLE`` for leads, ``PIPELINES`` for deals):

- ``crm/leads`` -> ``contact`` (one row per lead version; createdate and lastmodifieddate as
  Unix epoch milliseconds, as the API writes them; hs_analytics_source, utm_medium and
  utm_campaign carry source, medium and campaign; lifecyclestage the stage at that version);
- ``crm/lead_status_changes`` -> ``contact_property_history`` (name = lifecyclestage), plus
  the lifecycle stages HubSpot sets from deals (``opportunity`` when the contact's first deal is
  created, ``customer`` when a deal of it is first won), which the models must ignore;
- ``crm/deals`` -> ``deal`` (one row per version: pipeline and stage id, amount, currency),
  ``deal_contact`` (the deal's lead; HubSpot carries every deal of a lead), ``deal_company`` and
  ``company`` (the account);
- ``crm/deal_stage_changes`` -> ``deal_stage`` and the dealstage rows of
  ``deal_property_history`` (Fivetran writes both; the models keep a change once);
- the stage dictionary -> ``deal_pipeline`` and ``deal_pipeline_stage``: two pipelines (one deal
  in four, by a hash of its id, is in ``renewals``, whose stage ids are numeric, mapped by label
  (open stages) or by the dictionary's closed flags (``Renewed``, ``Churned``: no seed row));
- ``crm/owners`` -> ``owner`` (name split into first and last name, team_name).

HubSpot has no quotas or exchange rates: ``crm/quotas`` stays canonical with the owner ids
written as HubSpot's warehouse keys (``hubspot:<owner id>``), and ``finance/fx_rates`` is copied
as it is (README, "Bring your CRM").
"""

from __future__ import annotations

import csv
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from orchestration.sample_data.formats.salesforce import (
    DEFAULT_SOURCE_SYSTEM,
    Labels,
    Table,
    World,
    load_labels,
    read_world,
)

REPLACES = frozenset(
    {
        "crm/leads",
        "crm/lead_status_changes",
        "crm/deals",
        "crm/deal_stage_changes",
        "crm/owners",
        "crm/quotas",
    }
)
SYSTEM = "hubspot"

#: funnel stage of a lead -> HubSpot lifecycle stage (the seed maps each back under ``*`` or
#: ``hubspot``)
LIFECYCLE: dict[str, str] = {
    "lead": "lead",
    "mql": "marketingqualifiedlead",
    "sql": "salesqualifiedlead",
}
#: lifecycle stages HubSpot sets from deals (dbt var hubspot_deal_lifecycle_stages)
DEAL_CREATED, DEAL_WON = "opportunity", "customer"


@dataclass(frozen=True)
class Stage:
    stage_id: str
    label: str
    closed: bool
    won: bool


#: pipeline id -> (label, funnel stage key -> stage); the default pipeline's stage ids are
#: HubSpot's own (mapped in the seed by id), the renewals pipeline's are numeric
PIPELINES: dict[str, tuple[str, dict[str, Stage]]] = {
    "default": (
        "Sales Pipeline",
        {
            "opportunity": Stage("appointmentscheduled", "Appointment Scheduled", False, False),
            "proposal": Stage("contractsent", "Contract Sent", False, False),
            "won": Stage("closedwon", "Closed Won", True, True),
            "lost": Stage("closedlost", "Closed Lost", True, False),
        },
    ),
    "renewals": (
        "Renewals",
        {
            "opportunity": Stage("7001001", "Meeting Scheduled", False, False),
            "proposal": Stage("7001002", "Contract Sent", False, False),
            "won": Stage("7001003", "Renewed", True, True),
            "lost": Stage("7001004", "Churned", True, False),
        },
    ),
}


def _pipeline(deal_id: str) -> str:
    """A deal's pipeline, stable across its versions: one deal in four is a renewal."""
    return "renewals" if zlib.crc32(deal_id.encode()) % 4 == 0 else "default"


def stage_key(labels: Labels, system: str, kind: str, label: str) -> str:
    normal = label.strip().lower()
    key = labels.to_key.get((system.strip().lower() or DEFAULT_SOURCE_SYSTEM, kind, normal))
    key = key or labels.to_key.get(("*", kind, normal))
    if key is None:
        raise ValueError(f"canonical {kind} label {label!r} ({system}) is not in the label seed")
    return key


def _epoch_ms(timestamp: str) -> str:
    if not timestamp.strip():
        return ""
    moment = datetime.fromisoformat(timestamp.strip().replace("Z", "+00:00"))
    return str(int(moment.timestamp()) * 1000)


def _deal_stage(labels: Labels, deal_id: str, system: str, label: str) -> Stage:
    return PIPELINES[_pipeline(deal_id)][1][stage_key(labels, system, "deal", label)]


@dataclass
class Milestones:
    """Per lead: when its first deal was created and when a deal of it was first won."""

    created: dict[str, str]
    won: dict[str, str]


def _milestones(world: World, labels: Labels) -> Milestones:
    lead_of: dict[str, str] = {}
    created: dict[str, str] = {}
    for _, rows in world.deals:
        for row in rows:
            lead = row["lead_id"].strip()
            if lead:
                lead_of[row["deal_id"]] = lead
                if lead not in created or row["created_at"] < created[lead]:
                    created[lead] = row["created_at"]
    won: dict[str, str] = {}
    for _, rows in world.stage_files:
        for row in rows:
            lead = lead_of.get(row["deal_id"])
            key = stage_key(labels, row.get("source_system", ""), "deal", row["stage"])
            if lead and key in labels.won and (lead not in won or row["changed_at"] < won[lead]):
                won[lead] = row["changed_at"]
    return Milestones(created, won)


def objects(world: World, labels: Labels) -> Iterator[tuple[str, str, Table]]:
    """(object, window tag, (header, rows)) of every HubSpot file, in a stable order."""
    milestones = _milestones(world, labels)
    yield from _contacts(world, labels, milestones)
    yield from _contact_history(world, labels, milestones)
    yield from _deals(world, labels)
    yield from _deal_history(world, labels)
    yield "deal_pipeline", "dictionary", _pipelines()
    yield "deal_pipeline_stage", "dictionary", _pipeline_stages()
    yield from _owners(world)


def _lifecycle(world: World, labels: Labels, milestones: Milestones, lead: str, at: str) -> str:
    """The contact's lifecycle stage at ``at``."""
    changes = [
        (changed, LIFECYCLE[stage_key(labels, system, "lead", label)])
        for changed, label, system in world.statuses.get(lead, [])
    ]
    changes += [(t, DEAL_CREATED) for t in [milestones.created.get(lead, "")] if t]
    changes += [(t, DEAL_WON) for t in [milestones.won.get(lead, "")] if t]
    current = [value for changed, value in sorted(changes) if changed <= at]
    return current[-1] if current else ""


def _contacts(
    world: World, labels: Labels, milestones: Milestones
) -> Iterator[tuple[str, str, Table]]:
    header = [
        "id", "property_createdate", "property_lastmodifieddate", "property_email",
        "property_phone", "property_company", "property_website", "property_industry",
        "property_country", "property_jobtitle", "property_numemployees",
        "property_hubspot_owner_id", "property_lifecyclestage", "property_hs_analytics_source",
        "property_utm_medium", "property_utm_campaign", "_fivetran_deleted",
    ]  # fmt: skip
    for tag, rows in world.leads:
        out = [
            [
                row["lead_id"], _epoch_ms(row["created_at"]), _epoch_ms(row["updated_at"]),
                row["email"], row.get("phone", ""), row.get("company_name", ""),
                row["company_domain"], row.get("industry", ""), row.get("country", ""),
                row.get("job_title", ""), row.get("company_size", ""), row["owner_id"],
                _lifecycle(world, labels, milestones, row["lead_id"], row["updated_at"]),
                row["source"], row["medium"], row["campaign"], "false",
            ]
            for row in rows
        ]  # fmt: skip
        yield "contact", tag, (header, out)


def _contact_history(
    world: World, labels: Labels, milestones: Milestones
) -> Iterator[tuple[str, str, Table]]:
    header = ["contact_id", "name", "value", "timestamp", "source"]
    for tag, rows in world.status_files:
        out = [
            [
                row["lead_id"],
                "lifecyclestage",
                LIFECYCLE[stage_key(labels, row.get("source_system", ""), "lead", row["status"])],
                row["changed_at"],
                "CRM_UI",
            ]
            for row in rows
        ]
        yield "contact_property_history", tag, (header, out)
    deal_rows = [
        [lead, "lifecyclestage", value, at, "DEALS"]
        for value, when in ((DEAL_CREATED, milestones.created), (DEAL_WON, milestones.won))
        for lead, at in sorted(when.items())
    ]
    yield "contact_property_history", "deals", (header, deal_rows)


def _deals(world: World, labels: Labels) -> Iterator[tuple[str, str, Table]]:
    header = [
        "deal_id", "deal_pipeline_id", "deal_pipeline_stage_id", "owner_id",
        "property_dealname", "property_amount", "property_deal_currency_code",
        "property_closedate", "property_createdate", "property_hs_lastmodifieddate",
        "is_deleted",
    ]  # fmt: skip
    latest: dict[str, dict[str, str]] = {}
    for tag, rows in world.deals:
        out = []
        for row in rows:
            deal = row["deal_id"]
            stage = _deal_stage(labels, deal, row.get("source_system", ""), row["stage"])
            out.append(
                [
                    deal, _pipeline(deal), stage.stage_id, row["owner_id"],
                    row.get("deal_name", ""), row["amount"], row["currency"],
                    row["expected_close_date"], _epoch_ms(row["created_at"]),
                    _epoch_ms(row["updated_at"]), row["is_deleted"] or "false",
                ]
            )  # fmt: skip
            if deal not in latest or row["updated_at"] >= latest[deal]["updated_at"]:
                latest[deal] = row
        yield "deal", tag, (header, out)
    ordered = sorted(latest.values(), key=lambda r: r["deal_id"])
    contacts = [[r["deal_id"], r["lead_id"], "3", "true"] for r in ordered if r["lead_id"].strip()]
    yield (
        "deal_contact",
        "associations",
        (["deal_id", "contact_id", "type_id", "is_primary"], contacts),
    )
    with_account = [r for r in ordered if r["account_id"].strip()]
    companies = [[r["deal_id"], r["account_id"], "5", "Primary"] for r in with_account]
    yield "deal_company", "associations", (["deal_id", "company_id", "type_id", "label"], companies)
    accounts = sorted(
        {
            (r["account_id"], r.get("account_name", ""), r.get("account_domain", ""))
            for r in with_account
        }
    )
    yield (
        "company",
        "associations",
        (
            ["id", "property_name", "property_domain"],
            [list(account) for account in accounts],
        ),
    )


def _deal_history(world: World, labels: Labels) -> Iterator[tuple[str, str, Table]]:
    for tag, rows in world.stage_files:
        changes = [
            (
                row["deal_id"],
                _deal_stage(labels, row["deal_id"], row.get("source_system", ""), row["stage"]),
                row["changed_at"],
            )
            for row in rows
        ]
        yield (
            "deal_stage",
            tag,
            (
                ["deal_id", "value", "date_entered", "pipeline_id", "source"],
                [
                    [deal, stage.stage_id, at, _pipeline(deal), "CRM_UI"]
                    for deal, stage, at in changes
                ],
            ),
        )
        yield (
            "deal_property_history",
            tag,
            (
                ["deal_id", "name", "value", "timestamp", "source"],
                [[deal, "dealstage", stage.stage_id, at, "CRM_UI"] for deal, stage, at in changes],
            ),
        )


def _pipelines() -> Table:
    rows = [[pid, label, str(n), "true"] for n, (pid, (label, _)) in enumerate(PIPELINES.items())]
    return ["pipeline_id", "label", "display_order", "active"], rows


def _pipeline_stages() -> Table:
    header = [
        "stage_id", "pipeline_id", "label", "display_order", "probability", "is_closed",
        "closed_won", "active",
    ]  # fmt: skip
    probability = {"opportunity": "0.2", "proposal": "0.6", "won": "1.0", "lost": "0.0"}
    rows = [
        [
            stage.stage_id, pipeline, stage.label, str(order), probability[key],
            str(stage.closed).lower(), str(stage.won).lower(), "true",
        ]
        for pipeline, (_, stages) in PIPELINES.items()
        for order, (key, stage) in enumerate(stages.items())
    ]  # fmt: skip
    return header, rows


def _owners(world: World) -> Iterator[tuple[str, str, Table]]:
    header = ["owner_id", "email", "first_name", "last_name", "team_name", "updated_at"]
    for tag, rows in world.owners:
        out = []
        for row in rows:
            first, _, last = row["name"].strip().partition(" ")
            out.append([row["owner_id"], "", first, last, row["team"], row.get("updated_at", "")])
        yield "owner", tag, (header, out)


def _quotas(world: World) -> Iterator[tuple[str, Table]]:
    """The canonical quotas, owner ids as HubSpot's warehouse keys."""
    for tag, rows in world.quotas:
        if not rows:
            continue
        header = list(rows[0])
        out = [
            [f"{SYSTEM}:{v}" if k == "owner_id" and v.strip() else v for k, v in row.items()]
            for row in rows
        ]
        yield tag, (header, out)


def _write_csv(target: Path, table: Table) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(table[0])
        writer.writerows(table[1])


def write(canonical: Path, output: Path) -> None:
    """``hubspot/<object>/<object>__<window>.csv`` and ``crm/quotas`` with HubSpot owner ids."""
    world = read_world(canonical)
    for name, tag, table in objects(world, load_labels()):
        _write_csv(output / SYSTEM / name / f"{name}__{tag}.csv", table)
    for tag, table in _quotas(world):
        _write_csv(output / "crm" / "quotas" / f"quotas__{tag}.csv", table)
