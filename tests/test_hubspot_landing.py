"""HubSpot objects land through the native core: Fivetran's ``property_`` columns, Airbyte's
``properties_`` columns, API names, epoch milliseconds and JSON Lines; rows in = loaded +
rejected."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from orchestration.ingestion.ingest import ingest_entity
from orchestration.landed_entities import LANDED_BY_PATH, entity_at
from tests.landing_gate import land, query

CONTACT = LANDED_BY_PATH["hubspot/contact"]
DEAL = LANDED_BY_PATH["hubspot/deal"]


@pytest.mark.parametrize(
    "header",
    [
        "id,property_createdate,property_lifecyclestage,property_hubspot_owner_id",  # Fivetran
        "id,properties_createdate,properties_lifecyclestage,properties_hubspot_owner_id",  # Airbyte
        "ID,createdate,lifecyclestage,hubspot_owner_id",  # API property names
    ],
)
def test_contact_headers_of_each_loader_match(tmp_path: Path, header: str) -> None:
    land(
        tmp_path / "landing",
        "hubspot/contact/contacts.csv",
        f"{header}\n101,1714555800000,lead,7\n102,2024-05-02T10:00:00Z,salesqualifiedlead,\n".encode(),
    )
    warehouse = tmp_path / "w.duckdb"
    report = ingest_entity(warehouse, tmp_path / "landing", CONTACT)
    assert (report.rows_loaded, report.rows_rejected) == (2, 0)
    # 1714555800000 ms = 2024-05-01T09:30:00Z
    assert query(
        warehouse,
        "select id, createdate, lifecyclestage, hubspot_owner_id from raw.hubspot__contact "
        "order by id",
    ) == [
        ("101", datetime(2024, 5, 1, 9, 30), "lead", "7"),
        ("102", datetime(2024, 5, 2, 10, 0), "salesqualifiedlead", None),
    ]


def test_deal_jsonl_with_property_columns_and_a_bad_line(tmp_path: Path) -> None:
    land(
        tmp_path / "landing",
        "hubspot/deal/deals.jsonl",
        b'{"deal_id": "9001", "property_createdate": 1714555800000, "deal_pipeline_id": "default",'
        b' "deal_pipeline_stage_id": "appointmentscheduled", "property_amount": "1200.50",'
        b' "property_deal_currency_code": "USD", "is_deleted": false,'
        b' "property_hs_custom": "kept"}\n'
        b"[1, 2]\n"
        b'{"deal_id": "", "property_createdate": 1714555800000}\n',
    )
    warehouse = tmp_path / "w.duckdb"
    report = ingest_entity(warehouse, tmp_path / "landing", DEAL)
    assert (report.rows_loaded, report.rows_rejected) == (1, 2)
    assert query(
        warehouse,
        "select deal_id, createdate, deal_pipeline_stage_id, amount, deal_currency_code, "
        "is_deleted, property_hs_custom from raw.hubspot__deal",
    ) == [
        (
            "9001",
            datetime(2024, 5, 1, 9, 30),
            "appointmentscheduled",
            pytest.approx(1200.5),
            "USD",
            False,
            "kept",
        )
    ]
    rejects = query(
        warehouse, "select line, column_name, reason from raw._rejected_rows order by line"
    )
    assert [(line, column) for line, column, _ in rejects] == [(2, None), (3, "deal_id")]
    assert "not a JSON object" in rejects[0][2] and "deal_id is empty" in rejects[1][2]


def test_every_hubspot_object_has_its_folder_and_raw_table() -> None:
    expected = {
        "contact": "hubspot__contact",
        "contact_property_history": "hubspot__contact_property_history",
        "deal": "hubspot__deal",
        "deal_stage": "hubspot__deal_stage",
        "deal_property_history": "hubspot__deal_property_history",
        "deal_pipeline": "hubspot__deal_pipeline",
        "deal_pipeline_stage": "hubspot__deal_pipeline_stage",
        "owner": "hubspot__owner",
        "deal_contact": "hubspot__deal_contact",
        "deal_company": "hubspot__deal_company",
        "company": "hubspot__company",
    }
    for folder, table in expected.items():
        entity = entity_at("hubspot", folder)
        assert entity is not None and entity.raw_table == table
    # folders match ignoring case and underscores, as the core does for every system
    found = entity_at("hubspot", "DealPipelineStage")
    assert found is not None and found.raw_table == "hubspot__deal_pipeline_stage"
