"""Serving on PostgreSQL: a read-only role that BI tools use, granted the marts schema only.

dbt replaces a table model by a new table every night, which drops the grants of the old one;
so the project grants after every green build (the serving step), never inside a model.
The role is ``FUNNEL_PG_READER`` (default ``funnel_reader``); with ``FUNNEL_PG_READER_PASSWORD``
set it can log in itself, else it is a group role to grant to each BI user.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from psycopg2 import sql

from orchestration.engines.postgres_connection import PostgresSettings

SERVED_SCHEMA = "marts"
DEFAULT_READER = "funnel_reader"


@dataclass(frozen=True)
class ReaderGrant:
    role: str
    tables: int

    def line(self) -> str:
        return f"role {self.role} may read the {self.tables} tables/views of {SERVED_SCHEMA} only"


def grant_reader(settings: PostgresSettings) -> ReaderGrant:
    """Create the reader role if missing; grant it ``marts`` and nothing else."""
    role = os.environ.get("FUNNEL_PG_READER", DEFAULT_READER)
    password = os.environ.get("FUNNEL_PG_READER_PASSWORD")
    role_id = sql.Identifier(role)
    schema = sql.Identifier(SERVED_SCHEMA)
    con = settings.connect()
    try:
        with con, con.cursor() as cur:
            cur.execute("select 1 from pg_roles where rolname = %s", (role,))
            if cur.fetchone() is None:
                cur.execute(sql.SQL("create role {} nologin").format(role_id))
            if password:
                cur.execute(
                    sql.SQL("alter role {} login password {}").format(
                        role_id, sql.Literal(password)
                    )
                )
            database = sql.Identifier(settings.database)
            cur.execute(sql.SQL("grant connect on database {} to {}").format(database, role_id))
            cur.execute(sql.SQL("grant usage on schema {} to {}").format(schema, role_id))
            cur.execute(
                sql.SQL("grant select on all tables in schema {} to {}").format(schema, role_id)
            )
            cur.execute(
                "select count(*) from information_schema.tables where table_schema = %s",
                (SERVED_SCHEMA,),
            )
            row = cur.fetchone()
    finally:
        con.close()
    return ReaderGrant(role, int(row[0]) if row else 0)
