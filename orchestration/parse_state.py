"""dbt's partial-parse state kept per warehouse file, so a build never re-parses for nothing.

dbt re-parses the whole project ("Unable to do partial parsing because profile has changed")
whenever the profile differs from the one its saved state (``partial_parse.msgpack``) was parsed
with, and the profile holds the warehouse path (``FUNNEL_WAREHOUSE``). With one shared
``target/`` every build of another warehouse from the same checkout (a test, the benchmark, a
second warehouse) evicted the state of the others, and a Dagster-started build reused only the
state prepared with whatever path was set at start-up. Each warehouse now keeps its own state in
``target/parse_state/<file name>-<hash of its path>/``: ``dbt parse`` runs there, and the dbt step
of a run starts from it and saves it back (the parse names the dbt step's ``--target``: dbt keeps
a state only for the same argument). A warehouse's first build still parses in full once (dbt
bakes the database name, the file's name, into the manifest); every later one parses partially.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from orchestration.settings import PROJECT_DIR

PARTIAL_PARSE_FILE = "partial_parse.msgpack"
#: where the per-warehouse states live, under the project
STATE_ROOT = Path("target") / "parse_state"


def parse_state_dir(warehouse: Path, target: str | None = None) -> Path:
    """The dbt target folder holding ``warehouse``'s partial-parse state for the dbt ``target``
    (absolute; default: FUNNEL_TARGET's). The target is part of the key: its profile differs,
    so two engines built from one warehouse would otherwise re-parse each other's state."""
    resolved = str(Path(warehouse).resolve())
    digest = hashlib.sha256(resolved.encode("utf-8")).hexdigest()[:12]
    target = target or os.environ.get("FUNNEL_TARGET") or "duckdb"
    suffix = "" if target in ("duckdb", "local") else f"-{target}"
    return PROJECT_DIR / STATE_ROOT / f"{Path(warehouse).stem}-{digest}{suffix}"


def copy_file_atomically(source: Path, destination: Path) -> None:
    """Copy ``source`` over ``destination`` so a reader sees the old file or the new one."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.{os.getpid()}")
    shutil.copyfile(source, partial)
    os.replace(partial, destination)


def restore_state(warehouse: Path, target_dir: Path, target: str | None = None) -> bool:
    """Start the dbt invocation in ``target_dir`` from ``warehouse``'s saved state, if any."""
    saved = parse_state_dir(warehouse, target) / PARTIAL_PARSE_FILE
    if not saved.exists():
        return False
    copy_file_atomically(saved, target_dir / PARTIAL_PARSE_FILE)
    return True


def save_state(warehouse: Path, target_dir: Path, target: str | None = None) -> bool:
    """Keep the state the dbt invocation in ``target_dir`` left for ``warehouse``'s next one."""
    written = target_dir / PARTIAL_PARSE_FILE
    if not written.exists():
        return False
    copy_file_atomically(written, parse_state_dir(warehouse, target) / PARTIAL_PARSE_FILE)
    return True
