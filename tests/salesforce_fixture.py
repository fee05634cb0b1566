"""A hand-made Salesforce org, written in the two shapes that reach a warehouse.

- ``data_export``: CamelCase CSVs as Salesforce's Data Export / Data Loader write them;
- ``loader``: snake_case JSON Lines (gzipped), timestamps as Unix epoch milliseconds, as an
  API dump or a loader writes them.

The org (every expected figure in tests/test_salesforce_fixtures.py is worked out from this):

- stage dictionary: Prospecting (open), Proposal/Price Quote (open), Deal Signed (IsWon; no row
  in seeds/crm_stage_labels.csv: the dictionary alone makes it the won stage), Closed Lost;
- one user, Ann (005A), role EMEA Sales;
- lead 00Q1, created 2025-03-03 10:00 as Open - Not Contacted, Marketing Qualified on 03-05,
  Closed - Converted on 03-10 into opportunity 006A and contact 003A; its Rating change is
  history of a field we do not use;
- lead 00Q2, created 2025-03-04 as Working - Contacted, no history row;
- lead 00Q3, deleted (IsDeleted);
- LeadHistory of lead 00Q9, which never landed;
- opportunity 006A (USD 1,000, Ann): Prospecting on 03-10, its amount changed on 03-15 (same
  stage: no stage change), Proposal/Price Quote on 03-20, Deal Signed on 04-01;
- opportunity 006B (EUR 500, Ann), created 03-12 at Prospecting, no history row; contact 003A
  has a role on it, not primary, so it stays sales-sourced;
- opportunity 006C (EUR 300, Ann, account 001A), created 05-05 at Prospecting, no history row:
  a second deal of lead 00Q1, whose conversion did not create it; its primary contact role is
  contact 003A, so it belongs to 00Q1 (a deleted primary role of contact 003B is ignored);
- rates: USD 1.25 per EUR (corporate = reporting currency EUR) from 2025-01-01.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from datetime import UTC, datetime
from pathlib import Path

OBJECTS: dict[str, tuple[list[str], list[list[object]]]] = {
    "OpportunityStage": (
        ["Id", "MasterLabel", "ApiName", "SortOrder", "DefaultProbability", "IsClosed", "IsWon"],
        [
            ["01J1", "Prospecting", "Prospecting", 1, 10, False, False],
            ["01J2", "Proposal/Price Quote", "Proposal/Price Quote", 2, 50, False, False],
            ["01J3", "Deal Signed", "Deal Signed", 3, 100, True, True],
            ["01J4", "Closed Lost", "Closed Lost", 4, 0, True, False],
        ],
    ),
    "User": (["Id", "Name", "UserRoleId", "IsActive"], [["005A", "Ann", "00E1", True]]),
    "UserRole": (["Id", "Name"], [["00E1", "EMEA Sales"]]),
    "Lead": (
        [
            "Id",
            "CreatedDate",
            "LastModifiedDate",
            "Status",
            "OwnerId",
            "LeadSource",
            "Email",
            "Company",
            "IsConverted",
            "ConvertedDate",
            "ConvertedOpportunityId",
            "ConvertedContactId",
            "IsDeleted",
        ],
        [
            [
                "00Q1",
                "2025-03-03T10:00:00.000+0000",
                "2025-03-10T09:00:00.000+0000",
                "Closed - Converted",
                "005A",
                "Web",
                "a@acme.example",
                "Acme",
                True,
                "2025-03-10",
                "006A",
                "003A",
                False,
            ],
            [
                "00Q2",
                "2025-03-04T10:00:00.000+0000",
                "2025-03-04T10:00:00.000+0000",
                "Working - Contacted",
                "005A",
                "Web",
                "b@beta.example",
                "Beta",
                False,
                "",
                "",
                "",
                False,
            ],
            [
                "00Q3",
                "2025-03-05T10:00:00.000+0000",
                "2025-03-06T10:00:00.000+0000",
                "Open - Not Contacted",
                "005A",
                "Web",
                "c@gamma.example",
                "Gamma",
                False,
                "",
                "",
                "",
                True,
            ],
        ],
    ),
    "LeadHistory": (
        ["Id", "LeadId", "Field", "OldValue", "NewValue", "CreatedDate", "IsDeleted"],
        [
            ["017A", "00Q1", "created", "", "", "2025-03-03T10:00:00.000+0000", False],
            [
                "017B",
                "00Q1",
                "Status",
                "Open - Not Contacted",
                "Marketing Qualified",
                "2025-03-05T10:00:00.000+0000",
                False,
            ],
            ["017C", "00Q1", "Rating", "Cold", "Hot", "2025-03-06T10:00:00.000+0000", False],
            [
                "017D",
                "00Q1",
                "Status",
                "Marketing Qualified",
                "Closed - Converted",
                "2025-03-10T09:00:00.000+0000",
                False,
            ],
            [
                "017E",
                "00Q9",
                "Status",
                "Open - Not Contacted",
                "Marketing Qualified",
                "2025-03-07T10:00:00.000+0000",
                False,
            ],
        ],
    ),
    "Opportunity": (
        [
            "Id",
            "Name",
            "AccountId",
            "OwnerId",
            "StageName",
            "Amount",
            "CurrencyIsoCode",
            "CloseDate",
            "CreatedDate",
            "LastModifiedDate",
            "IsClosed",
            "IsWon",
            "IsDeleted",
        ],
        [
            [
                "006A",
                "Acme deal",
                "001A",
                "005A",
                "Deal Signed",
                "1000.00",
                "USD",
                "2025-04-01",
                "2025-03-10T09:00:00.000+0000",
                "2025-04-01T12:00:00.000+0000",
                True,
                True,
                False,
            ],
            [
                "006B",
                "Other deal",
                "001B",
                "005A",
                "Prospecting",
                "500.00",
                "EUR",
                "2025-06-30",
                "2025-03-12T10:00:00.000+0000",
                "2025-03-12T10:00:00.000+0000",
                False,
                False,
                False,
            ],
            [
                "006C",
                "Acme expansion",
                "001A",
                "005A",
                "Prospecting",
                "300.00",
                "EUR",
                "2025-07-31",
                "2025-05-05T10:00:00.000+0000",
                "2025-05-05T10:00:00.000+0000",
                False,
                False,
                False,
            ],
        ],
    ),
    "OpportunityContactRole": (
        ["Id", "OpportunityId", "ContactId", "IsPrimary", "Role", "CreatedDate", "IsDeleted"],
        [
            ["00KA", "006A", "003A", True, "Decision Maker", "2025-03-10T09:00:00.000+0000", False],
            ["00KB", "006B", "003A", False, "Influencer", "2025-03-12T10:00:00.000+0000", False],
            ["00KC", "006C", "003B", True, "Decision Maker", "2025-05-05T10:00:00.000+0000", True],
            ["00KD", "006C", "003A", True, "Decision Maker", "2025-05-06T10:00:00.000+0000", False],
        ],
    ),
    "OpportunityHistory": (
        ["Id", "OpportunityId", "StageName", "Amount", "CloseDate", "CreatedDate", "IsDeleted"],
        [
            [
                "008A",
                "006A",
                "Prospecting",
                "1000.00",
                "2025-05-01",
                "2025-03-10T09:00:00.000+0000",
                False,
            ],
            [
                "008B",
                "006A",
                "Prospecting",
                "1200.00",
                "2025-05-01",
                "2025-03-15T10:00:00.000+0000",
                False,
            ],
            [
                "008C",
                "006A",
                "Proposal/Price Quote",
                "1000.00",
                "2025-04-15",
                "2025-03-20T10:00:00.000+0000",
                False,
            ],
            [
                "008D",
                "006A",
                "Deal Signed",
                "1000.00",
                "2025-04-01",
                "2025-04-01T12:00:00.000+0000",
                False,
            ],
        ],
    ),
    "DatedConversionRate": (
        ["Id", "IsoCode", "ConversionRate", "StartDate", "NextStartDate"],
        [
            ["04w1", "EUR", "1.000000", "2025-01-01", ""],
            ["04w2", "USD", "1.250000", "2025-01-01", ""],
        ],
    ),
}


def _snake(name: str) -> str:
    out = "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")
    return out


def _epoch_ms(value: str) -> int:
    parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%f%z").astimezone(UTC)
    return int(parsed.timestamp() * 1000)


def write_data_export(landing: Path) -> None:
    for name, (header, rows) in OBJECTS.items():
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(
            [["true" if v is True else "false" if v is False else v for v in row] for row in rows]
        )
        target = landing / "salesforce" / name / f"{name}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(buffer.getvalue(), encoding="utf-8")


def write_loader_dump(landing: Path) -> None:
    for name, (header, rows) in OBJECTS.items():
        lines = []
        for row in rows:
            record: dict[str, object] = {}
            for column, value in zip(header, row, strict=True):
                if column.endswith("Date") and isinstance(value, str) and "T" in value:
                    value = _epoch_ms(value)
                record[_snake(column)] = None if value == "" else value
            lines.append(json.dumps(record))
        target = landing / "salesforce" / _snake(name) / f"{_snake(name)}.jsonl.gz"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode(), mtime=0))
