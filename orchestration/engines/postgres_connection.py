"""The PostgreSQL connection settings, read from the same variables as profiles.yml."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5432
DEFAULT_USER = "postgres"
DEFAULT_DATABASE = "funnel"


@dataclass(frozen=True)
class PostgresSettings:
    host: str
    port: int
    user: str
    password: str
    database: str

    @classmethod
    def from_environment(cls) -> PostgresSettings:
        """``FUNNEL_PG_HOST``/``PORT``/``USER``/``PASSWORD``/``DATABASE`` (profiles.yml's
        ``postgres`` target reads the same variables with the same defaults)."""
        return cls(
            host=os.environ.get("FUNNEL_PG_HOST", DEFAULT_HOST),
            port=int(os.environ.get("FUNNEL_PG_PORT", str(DEFAULT_PORT))),
            user=os.environ.get("FUNNEL_PG_USER", DEFAULT_USER),
            password=os.environ.get("FUNNEL_PG_PASSWORD", ""),
            database=os.environ.get("FUNNEL_PG_DATABASE", DEFAULT_DATABASE),
        )

    def environment(self) -> dict[str, str]:
        """The variables that point profiles.yml (and this module) at this server."""
        return {
            "FUNNEL_PG_HOST": self.host,
            "FUNNEL_PG_PORT": str(self.port),
            "FUNNEL_PG_USER": self.user,
            "FUNNEL_PG_PASSWORD": self.password,
            "FUNNEL_PG_DATABASE": self.database,
        }

    def connect(self, database: str | None = None) -> Any:  # a psycopg2 connection
        import psycopg2

        return psycopg2.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password or None,
            dbname=database or self.database,
        )
