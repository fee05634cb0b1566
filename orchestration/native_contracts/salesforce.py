"""Salesforce objects as Data Export / Data Loader CSVs or loader tables (Fivetran, Airbyte).

Field names are Salesforce's API names in snake_case (``StageName`` -> ``stage_name``); the
header of a Data Export (CamelCase) and of a loader dump (snake_case) both match them. Only
the fields the models read are declared; every other field of an export is kept in raw as an
extra text column. Required: the object's id, the fields a row cannot be used without.
Timestamps are ISO-8601 as Salesforce writes them (``2024-05-01T09:30:00.000+0000``); a dump
that wrote them as Unix epoch milliseconds loads too.

Sources of the field lists: Salesforce's object reference and
``fivetran/dbt_salesforce_source`` (``macros/get_*_columns.sql``).
"""

from __future__ import annotations

from orchestration.landing_contract import Column, Entity
from orchestration.native_contracts.declare import native_column as c
from orchestration.native_contracts.declare import native_entity

SYSTEM = "salesforce"


def _ts(name: str, not_empty: bool = False) -> Column:
    return c(name, "timestamp", not_empty, epoch="milliseconds")


_AUDIT = (
    c("is_deleted", "boolean"),
    _ts("last_modified_date"),
    _ts("system_modstamp"),
)

ENTITIES: tuple[Entity, ...] = (
    native_entity(
        SYSTEM,
        "Lead",
        key=("id", "system_modstamp"),
        required=(c("id", not_empty=True), _ts("created_date", not_empty=True), c("status")),
        optional=(
            c("owner_id"),
            c("lead_source"),
            c("email"),
            c("phone"),
            c("company"),
            c("website"),
            c("industry"),
            c("country"),
            c("title"),
            c("number_of_employees", "integer"),
            c("is_converted", "boolean"),
            c("converted_date", "date"),
            c("converted_opportunity_id"),
            c("converted_account_id"),
            c("converted_contact_id"),
            # UTM custom fields most orgs add to Lead (the medium and campaign of its source)
            c("utm_medium__c"),
            c("utm_campaign__c"),
            *_AUDIT,
        ),
        description="Salesforce leads (Lead); one row per lead version as exported.",
    ),
    native_entity(
        SYSTEM,
        "LeadHistory",
        key=("id",),
        required=(
            c("lead_id", not_empty=True),
            c("field", not_empty=True),
            _ts("created_date", not_empty=True),
        ),
        optional=(
            c("id"),
            c("old_value"),
            c("new_value"),
            c("created_by_id"),
            c("data_type"),
            c("is_deleted", "boolean"),
        ),
        description="Salesforce lead field history (LeadHistory); the Status rows are the lead's "
        "status changes.",
    ),
    native_entity(
        SYSTEM,
        "Opportunity",
        key=("id", "system_modstamp"),
        required=(
            c("id", not_empty=True),
            _ts("created_date", not_empty=True),
            c("stage_name"),
        ),
        optional=(
            c("name"),
            c("account_id"),
            c("owner_id"),
            c("amount", "decimal"),
            c("currency_iso_code"),
            c("probability", "decimal"),
            c("close_date", "date"),
            c("is_closed", "boolean"),
            c("is_won", "boolean"),
            c("lead_source"),
            c("campaign_id"),
            c("forecast_category"),
            *_AUDIT,
        ),
        description="Salesforce opportunities (Opportunity); one row per version as exported.",
    ),
    native_entity(
        SYSTEM,
        "OpportunityHistory",
        key=("id",),
        required=(
            c("opportunity_id", not_empty=True),
            _ts("created_date", not_empty=True),
            c("stage_name"),
        ),
        optional=(
            c("id"),
            c("amount", "decimal"),
            c("close_date", "date"),
            c("probability", "decimal"),
            c("forecast_category"),
            c("expected_revenue", "decimal"),
            c("currency_iso_code"),
            c("is_deleted", "boolean"),
            _ts("system_modstamp"),
        ),
        description="Salesforce opportunity history (OpportunityHistory): a row whenever stage, "
        "amount, probability or close date changed.",
    ),
    native_entity(
        SYSTEM,
        "OpportunityFieldHistory",
        key=("id",),
        required=(
            c("opportunity_id", not_empty=True),
            c("field", not_empty=True),
            _ts("created_date", not_empty=True),
        ),
        optional=(
            c("id"),
            c("old_value"),
            c("new_value"),
            c("data_type"),
            c("is_deleted", "boolean"),
        ),
        description="Salesforce opportunity field history (field tracking); the StageName rows "
        "are stage changes when an org tracks the field this way.",
    ),
    native_entity(
        SYSTEM,
        "OpportunityContactRole",
        key=("id", "system_modstamp"),
        required=(
            c("id", not_empty=True),
            c("opportunity_id", not_empty=True),
            c("contact_id", not_empty=True),
        ),
        optional=(
            c("is_primary", "boolean"),
            c("role"),
            _ts("created_date"),
            *_AUDIT,
        ),
        description="Salesforce opportunity contact roles (OpportunityContactRole): the contacts "
        "of an opportunity, one of them primary; links a lead's later opportunities to it "
        "through the contact the lead was converted into (Lead.ConvertedContactId).",
    ),
    native_entity(
        SYSTEM,
        "Account",
        key=("id", "system_modstamp"),
        required=(c("id", not_empty=True),),
        optional=(c("name"), c("website"), *_AUDIT),
        description="Salesforce accounts (Account): the name and web domain of an "
        "opportunity's account.",
    ),
    native_entity(
        SYSTEM,
        "OpportunityStage",
        key=("id",),
        required=(c("master_label", not_empty=True),),
        optional=(
            c("id"),
            c("api_name"),
            c("sort_order", "integer"),
            c("default_probability", "decimal"),
            c("is_closed", "boolean"),
            c("is_won", "boolean"),
            c("is_active", "boolean"),
            c("forecast_category_name"),
            _ts("last_modified_date"),
            _ts("system_modstamp"),
        ),
        description="Salesforce's opportunity stage dictionary (OpportunityStage).",
    ),
    native_entity(
        SYSTEM,
        "User",
        key=("id",),
        required=(c("id", not_empty=True),),
        optional=(
            c("name"),
            c("first_name"),
            c("last_name"),
            c("email"),
            c("user_role_id"),
            c("manager_id"),
            c("is_active", "boolean"),
            _ts("last_modified_date"),
            _ts("system_modstamp"),
        ),
        description="Salesforce users (User): the owners of leads and opportunities.",
    ),
    native_entity(
        SYSTEM,
        "UserRole",
        key=("id",),
        required=(c("id", not_empty=True),),
        optional=(
            c("name"),
            c("developer_name"),
            c("parent_role_id"),
            _ts("last_modified_date"),
            _ts("system_modstamp"),
        ),
        description="Salesforce user roles (UserRole): a user's team.",
    ),
    native_entity(
        SYSTEM,
        "ForecastingQuota",
        key=("id",),
        required=(
            c("quota_owner_id", not_empty=True),
            c("start_date", "date", not_empty=True),
        ),
        optional=(
            c("id"),
            c("quota_amount", "decimal"),
            c("quota_quantity", "decimal"),
            c("currency_iso_code"),
            c("is_amount", "boolean"),
            c("is_quantity", "boolean"),
            c("forecasting_type_id"),
            *_AUDIT,
        ),
        description="Salesforce collaborative-forecasting quotas (ForecastingQuota).",
    ),
    native_entity(
        SYSTEM,
        "DatedConversionRate",
        key=("id",),
        required=(
            c("iso_code", not_empty=True),
            c("conversion_rate", "decimal"),
            c("start_date", "date", not_empty=True),
        ),
        optional=(
            c("id"),
            c("next_start_date", "date"),
            _ts("last_modified_date"),
            _ts("system_modstamp"),
        ),
        description="Salesforce dated exchange rates (DatedConversionRate): units of iso_code per "
        "unit of the org's corporate currency, from start_date until next_start_date.",
    ),
)
