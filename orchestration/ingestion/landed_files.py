"""An entity's landed files: finding them, naming them to DuckDB, identifying them by content."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.ingestion.file_checks import FileRejected
from orchestration.ingestion.landing_scan import is_landed_file_name, scan_landing
from orchestration.landing_contract import Entity

# is_landed_file_name is re-exported: the landing sensor's fingerprint uses it
__all__ = ["LandedFile", "check_literal_path", "discover", "file_sha256", "is_landed_file_name"]

_CHUNK = 1 << 20
#: characters DuckDB's glob gives a meaning to (braces too, should a version add them)
_GLOB_CHARACTERS = re.compile(r"[\[\]*?{}]")


@dataclass(frozen=True)
class LandedFile:
    entity: Entity
    path: Path
    #: path relative to the landing folder, with forward slashes (stable across machines)
    relative_path: str

    @property
    def format(self) -> str:
        return "parquet" if self.path.name.lower().endswith(".parquet") else "csv"

    @property
    def is_gzip(self) -> bool:
        return self.path.name.lower().endswith(".gz")

    @property
    def duckdb_path(self) -> str:
        """The path for DuckDB's file readers, which read a path as a glob pattern: every
        pattern character is escaped as a one-character class (``[`` -> ``[[]``), so the path
        names this one file whatever its name holds (checked by :func:`check_literal_path`)."""
        return _GLOB_CHARACTERS.sub(r"[\g<0>]", str(self.path))


def check_literal_path(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> None:
    """Fail unless DuckDB resolves the file's reader path to exactly this one file."""
    found = con.execute("select list(file) from glob(?)", [landed.duckdb_path]).fetchone()
    files = found[0] if found else []
    if files != [str(landed.path)]:
        raise FileRejected(
            f"{landed.relative_path}: DuckDB resolves the escaped path to {files}, not to the "
            "file itself; the loader cannot read this file name safely"
        )


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def discover(landing_dir: Path, entity: Entity) -> list[LandedFile]:
    """Every landed file of one entity, in a stable order (by relative path)."""
    return [
        LandedFile(entity, found.path, found.relative_path)
        for found in scan_landing(landing_dir)
        if found.kind == "entity" and found.entity == entity
    ]
