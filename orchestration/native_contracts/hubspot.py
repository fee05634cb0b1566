"""HubSpot objects as a loader writes them (Fivetran, Airbyte) or as an API dump.

Object folders and column names follow Fivetran's HubSpot connector (``contact``,
``deal_pipeline_stage``; ``deal_id``, ``deal_pipeline_stage_id``), whose CRM properties carry a
``property_`` prefix (``property_dealstage``); the prefix is stripped when headers are matched,
so an Airbyte dump (``properties_dealstage``) and an API export (``dealstage``) load too.
Properties keep HubSpot's internal names (``createdate``, ``hs_lead_status``). Only the
columns the models read are declared; every other property of a dump is kept in raw as an
extra text column. Timestamps are ISO-8601 or Unix epoch milliseconds, as the HubSpot API
writes them.

Sources of the column lists: ``fivetran/dbt_hubspot_source`` (``models/src_hubspot.yml``,
``macros/get_*_columns.sql``) and HubSpot's CRM API reference.
"""

from __future__ import annotations

from orchestration.landing_contract import Column, Entity
from orchestration.native_contracts.declare import native_column as c
from orchestration.native_contracts.declare import native_entity

SYSTEM = "hubspot"


def _ts(name: str, not_empty: bool = False) -> Column:
    return c(name, "timestamp", not_empty, epoch="milliseconds")


ENTITIES: tuple[Entity, ...] = (
    native_entity(
        SYSTEM,
        "contact",
        key=("id", "lastmodifieddate"),
        required=(c("id", not_empty=True), _ts("createdate", not_empty=True)),
        optional=(
            _ts("lastmodifieddate"),
            c("email"),
            c("phone"),
            c("company"),
            c("website"),
            c("industry"),
            c("country"),
            c("jobtitle"),
            c("numemployees", "integer"),
            c("hubspot_owner_id"),
            c("lifecyclestage"),
            c("hs_lead_status"),
            c("hs_analytics_source"),
            c("hs_analytics_source_data_1"),
            c("hs_analytics_source_data_2"),
            # UTM properties most portals add to contacts (the medium and campaign of a lead)
            c("utm_medium"),
            c("utm_campaign"),
            # ids of the contacts merged into this one (semicolon-separated)
            c("hs_merged_object_ids"),
            c("is_deleted", "boolean"),
        ),
        description="HubSpot contacts; one row per contact version as dumped.",
    ),
    native_entity(
        SYSTEM,
        "contact_property_history",
        key=("contact_id", "name", "timestamp"),
        required=(
            c("contact_id", not_empty=True),
            c("name", not_empty=True),
            _ts("timestamp", not_empty=True),
        ),
        optional=(c("value"), c("source"), c("source_id")),
        description="HubSpot contact property history; the lifecyclestage and hs_lead_status rows "
        "are the lead's status changes.",
    ),
    native_entity(
        SYSTEM,
        "deal",
        key=("deal_id", "hs_lastmodifieddate"),
        required=(c("deal_id", not_empty=True), _ts("createdate", not_empty=True)),
        optional=(
            _ts("hs_lastmodifieddate"),
            c("deal_pipeline_id"),
            c("deal_pipeline_stage_id"),
            # the API's property names for pipeline and stage, when a dump keeps them
            c("pipeline"),
            c("dealstage"),
            c("owner_id"),
            c("hubspot_owner_id"),
            c("dealname"),
            c("amount", "decimal"),
            c("deal_currency_code"),
            c("closedate", "date"),
            c("hs_is_closed_won", "boolean"),
            c("is_deleted", "boolean"),
        ),
        description="HubSpot deals; one row per deal version as dumped.",
    ),
    native_entity(
        SYSTEM,
        "deal_stage",
        key=("deal_id", "date_entered", "value"),
        required=(
            c("deal_id", not_empty=True),
            c("value", not_empty=True),
            _ts("date_entered", not_empty=True),
        ),
        optional=(c("source"), c("source_id"), c("pipeline_id")),
        description="HubSpot deal stage history (Fivetran's deal_stage): the stage id a deal "
        "entered and when.",
    ),
    native_entity(
        SYSTEM,
        "deal_property_history",
        key=("deal_id", "name", "timestamp"),
        required=(
            c("deal_id", not_empty=True),
            c("name", not_empty=True),
            _ts("timestamp", not_empty=True),
        ),
        optional=(c("value"), c("source"), c("source_id")),
        description="HubSpot deal property history; the dealstage rows are stage changes when a "
        "loader writes no deal_stage table.",
    ),
    native_entity(
        SYSTEM,
        "deal_pipeline",
        key=("pipeline_id",),
        required=(c("pipeline_id", not_empty=True),),
        optional=(
            c("label"),
            c("display_order", "integer"),
            c("active", "boolean"),
            c("is_deleted", "boolean"),
        ),
        description="HubSpot deal pipelines.",
    ),
    native_entity(
        SYSTEM,
        "deal_pipeline_stage",
        key=("stage_id",),
        required=(c("stage_id", not_empty=True), c("pipeline_id")),
        optional=(
            c("label"),
            c("display_order", "integer"),
            c("probability", "decimal"),
            c("is_closed", "boolean"),
            c("closed_won", "boolean"),
            c("active", "boolean"),
            c("is_deleted", "boolean"),
        ),
        description="HubSpot deal pipeline stages: the stage dictionary (which stage wins, "
        "which loses).",
    ),
    native_entity(
        SYSTEM,
        "owner",
        key=("owner_id",),
        required=(c("owner_id", not_empty=True),),
        optional=(
            c("email"),
            c("first_name"),
            c("last_name"),
            # the owner's primary team (the owners API's teams[primary].name, flattened)
            c("team_name"),
            c("is_active", "boolean"),
            _ts("updated_at"),
        ),
        description="HubSpot owners (sales reps).",
    ),
    native_entity(
        SYSTEM,
        "deal_contact",
        key=("deal_id", "contact_id"),
        required=(c("deal_id", not_empty=True), c("contact_id", not_empty=True)),
        optional=(c("type_id", "integer"), c("category"), c("label"), c("is_primary", "boolean")),
        description="HubSpot deal-to-contact associations.",
    ),
    native_entity(
        SYSTEM,
        "deal_company",
        key=("deal_id", "company_id"),
        required=(c("deal_id", not_empty=True), c("company_id", not_empty=True)),
        optional=(c("type_id", "integer"), c("category"), c("label"), c("is_primary", "boolean")),
        description="HubSpot deal-to-company associations (the deal's account).",
    ),
    native_entity(
        SYSTEM,
        "company",
        key=("id",),
        required=(c("id", not_empty=True),),
        optional=(c("name"), c("domain"), c("is_deleted", "boolean"), _ts("hs_lastmodifieddate")),
        description="HubSpot companies (the accounts deals belong to).",
    ),
)
