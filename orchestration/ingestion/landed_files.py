"""An entity's landed files: finding them, naming them to DuckDB, identifying them by content."""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import duckdb

from orchestration.ingestion.file_checks import FileRejected
from orchestration.ingestion.landing_scan import is_landed_file_name, scan_landing
from orchestration.landing_contract import JSONL_SUFFIXES, Entity

# is_landed_file_name is re-exported: the landing sensor's fingerprint uses it
__all__ = [
    "LandedFile",
    "check_literal_path",
    "discover",
    "file_sha256",
    "is_landed_file_name",
    "readable_by_duckdb",
]

_CHUNK = 1 << 20
#: characters that make DuckDB's file readers read a path as a glob pattern (braces too,
#: should a version add them), and the backslash, which its glob splits paths on
_PATTERN_CHARACTERS = re.compile(r"[\[\]*?{}\\]")


@dataclass(frozen=True)
class LandedFile:
    entity: Entity
    path: Path
    #: path relative to the landing folder, with forward slashes (stable across machines)
    relative_path: str
    #: the name DuckDB reads the file by, when not ``path`` (see :func:`readable_by_duckdb`)
    alias: str | None = None

    @property
    def format(self) -> str:
        """``csv``, ``parquet`` or ``jsonl`` (JSON Lines, native entities only)."""
        name = self.path.name.lower()
        if name.endswith(".parquet"):
            return "parquet"
        if name.endswith(JSONL_SUFFIXES):
            return "jsonl"
        return "csv"

    @property
    def is_gzip(self) -> bool:
        return self.path.name.lower().endswith(".gz")

    @property
    def canonical_suffix(self) -> str:
        if self.format == "parquet":
            return ".parquet"
        base = ".jsonl" if self.format == "jsonl" else ".csv"
        return base + ".gz" if self.is_gzip else base

    @property
    def duckdb_path(self) -> str:
        """The path for DuckDB's file readers."""
        return self.alias or str(self.path)


@contextmanager
def readable_by_duckdb(landed: LandedFile) -> Iterator[LandedFile]:
    """The file, named so that DuckDB's readers open exactly it.

    DuckDB's ``read_csv`` / ``read_parquet`` take a path as a glob pattern: ``changes[1].csv``
    reads ``changes1.csv``, ``a*.csv`` reads every match. Escaping (``[[]``) works for some
    names but not for a name that also holds a backslash. So a path with any pattern
    character is read through a symbolic link with a plain name (``landed.csv``) in a private
    temp folder (a copy where links are not allowed); other paths are read as they are.
    :func:`check_literal_path` verifies the result.
    """
    if not _PATTERN_CHARACTERS.search(str(landed.path)):
        yield landed
        return
    with tempfile.TemporaryDirectory(prefix="funnel-landed-") as folder:
        alias = Path(folder) / f"landed{landed.canonical_suffix}"
        try:
            alias.symlink_to(landed.path.resolve())
        except OSError:
            shutil.copyfile(landed.path, alias)
        yield replace(landed, alias=str(alias))


def check_literal_path(con: duckdb.DuckDBPyConnection, landed: LandedFile) -> None:
    """Fail unless DuckDB resolves the file's reader path to exactly this one file."""
    found = con.execute("select list(file) from glob(?)", [landed.duckdb_path]).fetchone()
    files = found[0] if found else []
    if files != [landed.duckdb_path]:
        raise FileRejected(
            f"{landed.relative_path}: DuckDB resolves {landed.duckdb_path!r} to {files}, not "
            "to the file itself; the loader cannot read this file name safely"
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
