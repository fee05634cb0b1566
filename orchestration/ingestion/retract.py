"""``funnel retract``: take a wrongly landed file out of raw, on the record, reversibly.

A retraction, for every loaded or rejected manifest row of the file (its bytes, in an entity):

1. moves every copy of those bytes out of the entity's landing folder into
   ``<landing>/.retracted/<same relative path>`` (a hidden folder, which ingestion ignores),
   so the next build does not load them again and a rebuild from the landing folder agrees;
2. in one transaction: deletes the file's rows from the entity's raw table and its rejected
   lines, marks the manifest row ``retracted`` (with ``retracted_at`` and ``rows_retracted``),
   and drops the tables of incremental dbt models built on that entity, so the next build
   rebuilds them whole instead of keeping rows of the file.

Undo: move the file back into its entity folder (or land the same bytes under any name): a
retracted file is not accounted for, so the next build loads it again.

The file is named by its path (relative to the landing folder, or a path on disk, where it
is hashed), by its sha256, or by a prefix of at least 8 hex digits of it.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from orchestration.ingestion.landed_files import file_sha256
from orchestration.ingestion.landing_scan import scan_landing
from orchestration.ingestion.raw_tables import (
    MANIFEST_TABLE,
    REJECTS_TABLE,
    create_bookkeeping,
    qualified,
)
from orchestration.ingestion.transaction import transaction
from orchestration.landed_entities import LANDED_BY_PATH
from orchestration.warehouse import connect

RETRACTED_FOLDER = ".retracted"
_HASH_PREFIX = re.compile(r"[0-9a-f]{8,64}")


class RetractError(Exception):
    """The file cannot be retracted (not found, ambiguous); the message says why."""


@dataclass
class Retraction:
    file_hash: str
    entity: str
    source_file: str
    #: loaded or rejected, before the retraction
    status: str
    rows_removed: int = 0
    rejected_lines_removed: int = 0
    #: (from, to) relative to the landing folder, for every copy moved aside
    moved: list[tuple[str, str]] = field(default_factory=list)
    #: incremental model tables dropped (rebuilt whole by the next build)
    dropped: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        said = [
            f"retracted {self.source_file} ({self.entity}, sha256 {self.file_hash[:12]}, was "
            f"{self.status}): {self.rows_removed} raw rows and {self.rejected_lines_removed} "
            "rejected lines removed"
        ]
        said += [f"  moved {old} -> {new}" for old, new in self.moved]
        said += [f"  dropped {t} (the next build rebuilds it whole)" for t in self.dropped]
        return said


def incremental_tables(dbt_manifest: Path | None, entity: str) -> list[str]:
    """``schema.table`` of every incremental dbt model built (directly or not) on the raw
    table of ``entity``, read from dbt's ``manifest.json`` (none when there is no manifest)."""
    if dbt_manifest is None or not dbt_manifest.exists():
        return []
    manifest = json.loads(dbt_manifest.read_text(encoding="utf-8"))
    source, name = entity.split("/")
    start = [
        uid
        for uid, node in manifest.get("sources", {}).items()
        if node.get("source_name") == source and node.get("name") == name
    ]
    children: dict[str, list[str]] = manifest.get("child_map", {})
    seen: set[str] = set()
    while start:
        uid = start.pop()
        for child in children.get(uid, []):
            if child not in seen:
                seen.add(child)
                start.append(child)
    found = []
    for uid in sorted(seen):
        node = manifest.get("nodes", {}).get(uid, {})
        if node.get("config", {}).get("materialized") == "incremental":
            found.append(f"{node['schema']}.{node.get('alias') or node['name']}")
    return found


def _targets(con: duckdb.DuckDBPyConnection, target: str, landing: Path) -> list[tuple]:
    """(file_hash, entity, source_file, status) of the active rows ``target`` names."""
    active = (
        f"select file_hash, entity, source_file, status from {MANIFEST_TABLE} "
        "where status in ('loaded', 'rejected') and file_hash is not null"
    )
    lowered = target.lower()
    if _HASH_PREFIX.fullmatch(lowered):
        rows = con.execute(f"{active} and starts_with(file_hash, ?)", [lowered]).fetchall()
        hashes = {r[0] for r in rows}
        if len(hashes) > 1:
            raise RetractError(
                f"{target} is the start of {len(hashes)} files' sha256; give more digits"
            )
        if rows:
            return rows
    on_disk = Path(target).expanduser()
    candidates = [on_disk, landing / target]
    for path in candidates:
        if path.is_file():
            rows = con.execute(f"{active} and file_hash = ?", [file_sha256(path)]).fetchall()
            if rows:
                return rows
    relative = target
    if on_disk.is_absolute():
        try:
            relative = on_disk.resolve().relative_to(landing.resolve()).as_posix()
        except ValueError:
            relative = target
    rows = con.execute(f"{active} and source_file = ?", [relative.strip("/")]).fetchall()
    if not rows:
        raise RetractError(
            f"no loaded or rejected file matches {target!r} (give its path relative to the "
            "landing folder, a path on disk, or its sha256 from raw._load_manifest)"
        )
    return rows


def _copies(landing: Path, file_hash: str, entity: str) -> list[str]:
    """Relative paths of the entity's landed files holding exactly these bytes."""
    return [
        f.relative_path
        for f in scan_landing(landing)
        if f.kind == "entity"
        and f.entity is not None
        and f.entity.path == entity
        and file_sha256(f.path) == file_hash
    ]


def _move_aside(landing: Path, relative: str) -> str:
    target = Path(RETRACTED_FOLDER) / relative
    number = 1
    while (landing / target).exists():
        number += 1
        target = Path(RETRACTED_FOLDER) / f"{relative}.{number}"
    (landing / target).parent.mkdir(parents=True, exist_ok=True)
    shutil.move(landing / relative, landing / target)
    return target.as_posix()


def retract(
    warehouse: Path, landing: Path, target: str, dbt_manifest: Path | None = None
) -> list[Retraction]:
    """Retract the file ``target`` names (see the module's doc)."""
    with connect(warehouse) as con:
        create_bookkeeping(con)
        retractions = [
            Retraction(str(h), str(e), str(f), str(s))
            for h, e, f, s in _targets(con, target, landing)
        ]
        moved: list[tuple[str, str]] = []
        try:
            for retraction in retractions:
                for relative in _copies(landing, retraction.file_hash, retraction.entity):
                    step = (relative, _move_aside(landing, relative))
                    moved.append(step)
                    retraction.moved.append(step)
            _retract_in_raw(con, retractions, dbt_manifest)
        except BaseException:
            for old, new in reversed(moved):
                shutil.move(landing / new, landing / old)
            raise
    return retractions


def _retract_in_raw(
    con: duckdb.DuckDBPyConnection, retractions: list[Retraction], dbt_manifest: Path | None
) -> None:
    now = datetime.now(UTC).replace(tzinfo=None)
    with transaction(con):
        for r in retractions:
            entity = LANDED_BY_PATH[r.entity]
            table = qualified(entity)
            exists = con.execute(
                "select count(*) from information_schema.tables "
                "where table_schema || '.' || table_name = ?",
                [table],
            ).fetchone()
            if exists and exists[0]:
                counted = con.execute(
                    f"select count(*) from {table} where _file_hash = ?", [r.file_hash]
                ).fetchone()
                r.rows_removed = int(counted[0]) if counted else 0
                con.execute(f"delete from {table} where _file_hash = ?", [r.file_hash])
            counted = con.execute(
                f"select coalesce(sum(lines_spanned), 0) from {REJECTS_TABLE} "
                "where file_hash = ? and entity = ?",
                [r.file_hash, r.entity],
            ).fetchone()
            r.rejected_lines_removed = int(counted[0]) if counted else 0
            con.execute(
                f"delete from {REJECTS_TABLE} where file_hash = ? and entity = ?",
                [r.file_hash, r.entity],
            )
            con.execute(
                f"update {MANIFEST_TABLE} set status = 'retracted', retracted_at = ?, "
                "rows_retracted = ? "
                "where file_hash = ? and entity = ? and status in ('loaded', 'rejected')",
                [now, r.rows_removed, r.file_hash, r.entity],
            )
            for relation in incremental_tables(dbt_manifest, r.entity):
                con.execute(f"drop table if exists {relation}")
                r.dropped.append(relation)
