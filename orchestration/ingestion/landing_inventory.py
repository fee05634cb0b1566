"""Recording the landing folder's ignored and unrecognised files in the manifest.

Each build replaces the manifest's ``ignored`` and ``unrecognised`` rows with what it finds
now (:mod:`landing_scan`), so they always describe the folder as the last build saw it. The
entities' files are not recorded here: their ingestion records them as loaded or rejected.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from orchestration.ingestion.landed_files import file_sha256
from orchestration.ingestion.landing_scan import ScannedFile, scan_landing
from orchestration.ingestion.manifest import LANDING_STATUSES, BuildStamp, record_row
from orchestration.ingestion.raw_tables import MANIFEST_TABLE, create_bookkeeping
from orchestration.ingestion.transaction import transaction
from orchestration.warehouse import connect


@dataclass
class LandingInventory:
    entity_files: int = 0
    ignored: list[ScannedFile] = field(default_factory=list)
    unrecognised: list[ScannedFile] = field(default_factory=list)

    def lines(self, kind: str) -> list[str]:
        files = self.ignored if kind == "ignored" else self.unrecognised
        return [f"{f.relative_path}: {f.reason}" for f in files]


def _hash_and_size(path: Path) -> tuple[str | None, int | None]:
    try:
        return file_sha256(path), path.stat().st_size
    except OSError:
        return None, None


def record_landing_inventory(
    warehouse: Path, landing: Path, run_id: str | None = None
) -> LandingInventory:
    """Scan the landing folder; replace the manifest's ignored and unrecognised rows."""
    inventory = LandingInventory()
    for found in scan_landing(landing):
        if found.kind == "entity":
            inventory.entity_files += 1
        elif found.kind == "ignored":
            inventory.ignored.append(found)
        else:
            inventory.unrecognised.append(found)
    stamp = BuildStamp.now(run_id)
    with connect(warehouse) as con:
        create_bookkeeping(con)
        with transaction(con):
            con.execute(
                f"delete from {MANIFEST_TABLE} where status in "
                f"({', '.join(repr(s) for s in LANDING_STATUSES)})"
            )
            for found in inventory.ignored:
                record_row(
                    con,
                    stamp,
                    file_hash=None,
                    entity=None,
                    source_file=found.relative_path,
                    file_bytes=None,
                    status="ignored",
                    message=found.reason,
                )
            for found in inventory.unrecognised:
                file_hash, size = _hash_and_size(found.path)
                record_row(
                    con,
                    stamp,
                    file_hash=file_hash,
                    entity=found.entity.path if found.entity else None,
                    source_file=found.relative_path,
                    file_bytes=size,
                    status="unrecognised",
                    message=found.reason,
                )
    return inventory
