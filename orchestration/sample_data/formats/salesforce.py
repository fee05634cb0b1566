"""The generated world as Salesforce Data Export files (CamelCase CSVs, one folder per object).

Converted from the canonical CRM files, window by window (``Lead/Lead__<window>.csv``):

- ``crm/leads`` -> ``Lead`` (one row per lead version; Status is the lead's status at that
  version; LeadSource, utm_medium__c, utm_campaign__c carry source, medium and campaign;
  ConvertedOpportunityId the lead's first deal, ConvertedContactId the contact it was
  converted into, ``003`` + the lead's number);
- ``crm/lead_status_changes`` -> ``LeadHistory`` (Field = Status; the status a lead was created
  with is the OldValue of its first row, or its Status when it never changed);
- ``crm/deals`` -> ``Opportunity`` (one row per version), ``crm/deal_stage_changes`` ->
  ``OpportunityHistory``, and ``OpportunityStage`` (the stage dictionary);
- every deal of a lead -> an ``OpportunityContactRole`` (the lead's contact, primary), in the
  window the deal first appears: it links a lead's second and later deals, which the lead's
  conversion did not create;
- the accounts of ``crm/deals`` -> ``Account`` (name, website);
- ``crm/owners`` -> ``User`` and ``UserRole`` (the team), ``crm/quotas`` -> ``ForecastingQuota``.

Labels: a canonical label is mapped to its funnel stage by seeds/crm_stage_labels.csv and
written as the first Salesforce label of that stage in the seed.
"""

from __future__ import annotations

import csv
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from orchestration.sample_data.labels import LABELS_SEED, STAGES_SEED

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
SYSTEM = "salesforce"
DEFAULT_SOURCE_SYSTEM = "hubspot"  # dbt_project.yml var default_source_system


@dataclass(frozen=True)
class Labels:
    """Canonical label -> funnel stage -> Salesforce label."""

    to_key: dict[tuple[str, str, str], str]
    salesforce: dict[tuple[str, str], str]
    won: frozenset[str]
    lost: frozenset[str]
    order: dict[str, int]

    def convert(self, system: str, entity_type: str, label: str) -> str:
        normal = label.strip().lower()
        key = self.to_key.get(
            (system.strip().lower() or DEFAULT_SOURCE_SYSTEM, entity_type, normal)
        )
        key = key or self.to_key.get(("*", entity_type, normal))
        return self.salesforce.get((entity_type, key), label) if key else label


def load_labels() -> Labels:
    to_key: dict[tuple[str, str, str], str] = {}
    salesforce: dict[tuple[str, str], str] = {}
    with LABELS_SEED.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            system = row["source_system"].strip().lower()
            kind, key = row["entity_type"].strip(), row["stage_key"].strip()
            to_key[(system, kind, row["label"].strip().lower())] = key
            if system == SYSTEM:
                salesforce.setdefault((kind, key), row["label"])
    won, lost, order = set(), set(), {}
    with STAGES_SEED.open(encoding="utf-8", newline="") as f:
        for number, row in enumerate(csv.DictReader(f), start=1):
            if row["is_won"].strip() == "true":
                won.add(row["stage_key"])
            elif row["is_terminal"].strip() == "true":
                lost.add(row["stage_key"])
            order[row["stage_key"]] = number
    return Labels(to_key, salesforce, frozenset(won), frozenset(lost), order)


def read_rows(folder: Path) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """(window tag, rows) of every canonical file of an entity folder, in name order."""
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.csv")):
        tag = path.name.split("__", 1)[-1].removesuffix(".csv")
        with path.open(encoding="utf-8", newline="") as f:
            yield tag, list(csv.DictReader(f))


def _bool(value: bool) -> str:
    return "true" if value else "false"


@dataclass
class World:
    """The canonical CRM files, read once."""

    leads: list[tuple[str, list[dict[str, str]]]]
    statuses: dict[str, list[tuple[str, str, str]]]  # lead -> (changed_at, label, system)
    status_files: list[tuple[str, list[dict[str, str]]]]
    deals: list[tuple[str, list[dict[str, str]]]]
    stage_files: list[tuple[str, list[dict[str, str]]]]
    first_deal: dict[str, str]
    owners: list[tuple[str, list[dict[str, str]]]]
    quotas: list[tuple[str, list[dict[str, str]]]]


def read_world(canonical: Path) -> World:
    crm = canonical / "crm"
    status_files = list(read_rows(crm / "lead_status_changes"))
    statuses: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for _, rows in status_files:
        for row in rows:
            statuses[row["lead_id"]].append(
                (row["changed_at"], row["status"], row.get("source_system", ""))
            )
    for changes in statuses.values():
        changes.sort()
    deals = list(read_rows(crm / "deals"))
    first: dict[str, tuple[str, str]] = {}
    for _, rows in deals:
        for row in rows:
            lead = row["lead_id"].strip()
            if lead and (lead not in first or (row["created_at"], row["deal_id"]) < first[lead]):
                first[lead] = (row["created_at"], row["deal_id"])
    return World(
        leads=list(read_rows(crm / "leads")),
        statuses=statuses,
        status_files=status_files,
        deals=deals,
        stage_files=list(read_rows(crm / "deal_stage_changes")),
        first_deal={lead: deal for lead, (_, deal) in first.items()},
        owners=list(read_rows(crm / "owners")),
        quotas=list(read_rows(crm / "quotas")),
    )


Table = tuple[list[str], list[list[str]]]


def objects(world: World, labels: Labels) -> Iterator[tuple[str, str, Table]]:
    """(object, window tag, (header, rows)) of every Salesforce file, in a stable order."""
    yield from _leads(world, labels)
    yield from _lead_history(world, labels)
    yield from _accounts(world)
    yield from _opportunities(world, labels)
    yield from _opportunity_history(world, labels)
    yield from _contact_roles(world)
    yield "OpportunityStage", "dictionary", _dictionary(labels)
    yield from _users(world)
    yield from _quotas(world)


def _leads(world: World, labels: Labels) -> Iterator[tuple[str, str, Table]]:
    header = [
        "Id", "CreatedDate", "LastModifiedDate", "SystemModstamp", "Status", "OwnerId",
        "LeadSource", "utm_medium__c", "utm_campaign__c", "Email", "Phone", "Company",
        "Website", "Industry", "Country", "Title", "NumberOfEmployees", "IsConverted",
        "ConvertedOpportunityId", "ConvertedContactId", "IsDeleted",
    ]  # fmt: skip
    for tag, rows in world.leads:
        out = []
        for row in rows:
            lead = row["lead_id"]
            changes = world.statuses.get(lead, [])
            current = [c for c in changes if c[0] <= row["updated_at"]] or changes[:1]
            status = (
                labels.convert(
                    current[-1][2] or row.get("source_system", ""), "lead", current[-1][1]
                )
                if current
                else ""
            )
            deal = world.first_deal.get(lead, "")
            out.append(
                [
                    lead, row["created_at"], row["updated_at"], row["updated_at"], status,
                    row["owner_id"], row["source"], row["medium"], row["campaign"],
                    row["email"], row.get("phone", ""), row.get("company_name", ""),
                    row["company_domain"], row.get("industry", ""), row.get("country", ""),
                    row.get("job_title", ""), row.get("company_size", ""), _bool(bool(deal)),
                    deal, contact_id(lead) if deal else "", "false",
                ]
            )  # fmt: skip
        yield "Lead", tag, (header, out)


def _lead_history(world: World, labels: Labels) -> Iterator[tuple[str, str, Table]]:
    header = ["LeadId", "Field", "OldValue", "NewValue", "CreatedDate", "IsDeleted"]
    previous: dict[tuple[str, str], str] = {}
    for lead, changes in world.statuses.items():
        for before, after in itertools.pairwise(changes):
            previous[(lead, after[0])] = labels.convert(before[2], "lead", before[1])
    created = _created_at(world)
    for tag, rows in world.status_files:
        out = []
        for row in rows:
            lead, at = row["lead_id"], row["changed_at"]
            if (lead, at) not in previous and created.get(lead) == at:
                continue  # the status the lead was created with: no history row
            new = labels.convert(row.get("source_system", ""), "lead", row["status"])
            out.append([lead, "Status", previous.get((lead, at), ""), new, at, "false"])
        yield "LeadHistory", tag, (header, out)


def _created_at(world: World) -> dict[str, str]:
    return {row["lead_id"]: row["created_at"] for _, rows in world.leads for row in rows}


def _opportunities(world: World, labels: Labels) -> Iterator[tuple[str, str, Table]]:
    header = [
        "Id", "Name", "AccountId", "OwnerId", "StageName", "Amount", "CurrencyIsoCode",
        "CloseDate", "CreatedDate", "LastModifiedDate", "SystemModstamp", "IsClosed", "IsWon",
        "IsDeleted",
    ]  # fmt: skip
    for tag, rows in world.deals:
        out = []
        for row in rows:
            stage = labels.convert(row.get("source_system", ""), "deal", row["stage"])
            key = labels.to_key.get((SYSTEM, "deal", stage.strip().lower()), "")
            out.append(
                [
                    row["deal_id"], row.get("deal_name", ""), row["account_id"], row["owner_id"],
                    stage, row["amount"], row["currency"], row["expected_close_date"],
                    row["created_at"], row["updated_at"], row["updated_at"],
                    _bool(key in labels.won or key in labels.lost), _bool(key in labels.won),
                    row["is_deleted"] or "false",
                ]
            )  # fmt: skip
        yield "Opportunity", tag, (header, out)


def contact_id(lead_id: str) -> str:
    """The contact a lead was converted into (``L0000010`` -> ``0030000010``)."""
    return "003" + lead_id.strip().removeprefix("L")


def _contact_roles(world: World) -> Iterator[tuple[str, str, Table]]:
    header = [
        "Id", "OpportunityId", "ContactId", "IsPrimary", "Role", "CreatedDate",
        "LastModifiedDate", "SystemModstamp", "IsDeleted",
    ]  # fmt: skip
    seen: set[str] = set()
    for tag, rows in world.deals:
        out = []
        for row in rows:
            deal, lead = row["deal_id"], row["lead_id"].strip()
            if not lead or deal in seen:
                continue
            seen.add(deal)
            created = row["created_at"]
            out.append(
                [
                    "00K" + deal.removeprefix("D"), deal, contact_id(lead), "true",
                    "Decision Maker", created, created, created, "false",
                ]
            )  # fmt: skip
        yield "OpportunityContactRole", tag, (header, out)


def _accounts(world: World) -> Iterator[tuple[str, str, Table]]:
    for tag, rows in world.deals:
        accounts = sorted(
            {
                (r["account_id"], r.get("account_name", ""), r.get("account_domain", ""))
                for r in rows
                if r["account_id"].strip()
            }
        )
        yield "Account", tag, (["Id", "Name", "Website"], [list(a) for a in accounts])


def _opportunity_history(world: World, labels: Labels) -> Iterator[tuple[str, str, Table]]:
    header = ["OpportunityId", "StageName", "CreatedDate", "IsDeleted"]
    for tag, rows in world.stage_files:
        out = [
            [
                row["deal_id"],
                labels.convert(row.get("source_system", ""), "deal", row["stage"]),
                row["changed_at"],
                "false",
            ]
            for row in rows
        ]
        yield "OpportunityHistory", tag, (header, out)


def _dictionary(labels: Labels) -> Table:
    header = ["MasterLabel", "ApiName", "SortOrder", "IsClosed", "IsWon", "IsActive"]
    rows = []
    stages = [(key, label) for (kind, key), label in labels.salesforce.items() if kind == "deal"]
    for number, (key, label) in enumerate(sorted(stages, key=lambda s: labels.order[s[0]]), 1):
        closed = key in labels.won or key in labels.lost
        rows.append([label, label, str(number), _bool(closed), _bool(key in labels.won), "true"])
    return header, rows


def _role_id(team: str) -> str:
    return "00E-" + "".join(c for c in team.lower() if c.isalnum()) if team else ""


def _users(world: World) -> Iterator[tuple[str, str, Table]]:
    for tag, rows in world.owners:
        users = [
            [r["owner_id"], r["name"], _role_id(r["team"]), r.get("updated_at", "")] for r in rows
        ]
        yield "User", tag, (["Id", "Name", "UserRoleId", "LastModifiedDate"], users)
        roles = sorted({(_role_id(r["team"]), r["team"]) for r in rows if r["team"]})
        yield "UserRole", tag, (["Id", "Name"], [list(role) for role in roles])


def _quotas(world: World) -> Iterator[tuple[str, str, Table]]:
    header = ["QuotaOwnerId", "StartDate", "QuotaAmount", "CurrencyIsoCode", "IsAmount"]
    for tag, rows in world.quotas:
        out = [[r["owner_id"], r["period_start"], r["amount"], r["currency"], "true"] for r in rows]
        yield "ForecastingQuota", tag, (header, out)


def write(canonical: Path, output: Path) -> None:
    """Data Export shape: ``salesforce/<Object>/<Object>__<window>.csv``, CamelCase headers."""
    for name, tag, (header, rows) in objects(read_world(canonical), load_labels()):
        target = output / SYSTEM / name / f"{name}__{tag}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
