"""A new warehouse's first parse starts from another warehouse's state: partial, or none at all.

dbt parses the whole project again ("Unable to do partial parsing because profile has
changed") when the connection info of the profile differs from the one its saved state was
parsed with, and for DuckDB that info holds the warehouse path. So every new warehouse path (a
test's, the benchmark's rebuild, a second warehouse) paid a full parse: 7.4 s against 3.0 s
partially (the project as of December, idle). Yet the manifest does not depend on the path:
dbt names the database after the file's stem, and no model or macro reads the path.

So when a warehouse has no state of its own, ``seed_parse_state`` copies the state of another
warehouse with the same file name and the DuckDB target (under ``target/parse_state/``, one that
recorded its warehouse's path: preferably one parsed from the same inputs but the path, else
the newest) and replaces the profile fingerprint saved in it (``state_check.profile_hash``, a
sha256 of the connection info) with the new warehouse's. It checks first that it computes that
fingerprint as dbt does: the fingerprint computed for the other warehouse's path with today's
environment must be the one saved in its state, exactly once in the file; if not (another
environment, another dbt), nothing is seeded and dbt parses in full, as before.

- The other warehouse was parsed from the same inputs but the path (files, versions and
  environment: the digest of ``orchestration/parse_inputs.py`` without ``FUNNEL_WAREHOUSE``):
  its manifests are the ones a parse would write, so they are copied too and the parse is
  skipped (``Seeded.WHOLE``).
- Otherwise dbt parses from the seeded state and checks everything else itself (files, vars,
  the environment of dbt_project.yml), parsing again whatever changed (``Seeded.STATE``).

Either way the manifest equals a full parse's (``tests/test_parse_state.py``). Only the DuckDB
target is seeded: PostgreSQL's profile does not name the warehouse, Spark's names a folder next
to it.
"""

from __future__ import annotations

import contextvars
import enum
import json
import os
import pprint
from collections.abc import Callable, Mapping
from pathlib import Path

from orchestration.engines.targets import DUCKDB
from orchestration.parse_state import (
    PARTIAL_PARSE_FILE,
    STATE_ROOT,
    copy_file_atomically,
    parse_state_dir,
)
from orchestration.settings import PROJECT_DIR

#: the file in a parse-state folder naming the warehouse it was parsed for, and the digest of
#: the parse's inputs but the warehouse path
WAREHOUSE_FILE = "warehouse.json"
PROFILE_NAME = "funnel_warehouse"
#: what a parse writes besides dbt's state: copied when the inputs are the same
MANIFESTS = ("manifest.json", "semantic_manifest.json")


class Seeded(enum.Enum):
    NOTHING = "nothing"
    #: dbt's state, with this warehouse's profile fingerprint: the parse is partial
    STATE = "state"
    #: the state and the manifests of a parse of the same inputs: no parse needed
    WHOLE = "whole"


def remember_warehouse(state: Path, warehouse: str, inputs_but_path: str) -> None:
    """Note in ``state`` the warehouse path (as profiles.yml got it) it was parsed for, and the
    digest of the parse's inputs but that path: a later seed checks against both."""
    partial = state / f".{WAREHOUSE_FILE}.{os.getpid()}"
    record = {"warehouse": warehouse, "inputs_but_path": inputs_but_path}
    partial.write_text(json.dumps(record) + "\n", encoding="utf-8")
    os.replace(partial, state / WAREHOUSE_FILE)


def forget_warehouse(state: Path) -> None:
    """Drop the record before ``state`` is parsed again: while its manifests change, no other
    warehouse takes them for the ones of the recorded inputs."""
    (state / WAREHOUSE_FILE).unlink(missing_ok=True)


def profile_fingerprint(warehouse: str, env: Mapping[str, str], target: str = DUCKDB) -> str:
    """The ``profile_hash`` dbt saves in its partial-parse state for the warehouse path
    ``warehouse``: the sha256 of the sorted connection info of profiles.yml's ``target``
    rendered with ``env``."""
    from dbt.artifacts.resources.base import FileHash
    from dbt.config.profile import Profile, read_profile
    from dbt.config.renderer import ProfileRenderer
    from dbt_common.context import set_invocation_context

    def render() -> str:
        set_invocation_context({**env, "FUNNEL_WAREHOUSE": warehouse})
        raw = read_profile(str(PROJECT_DIR))
        name, data = Profile.render_profile(
            raw[PROFILE_NAME], PROFILE_NAME, target, ProfileRenderer({})
        )
        credentials = Profile._credentials_from_profile(data, PROFILE_NAME, name)
        info = sorted(credentials.connection_info())
        return FileHash.from_contents(pprint.pformat(info)).checksum

    # the invocation context is a context variable: set it in a copy, not in the caller's
    return contextvars.copy_context().run(render)


def _siblings(warehouse: Path, inputs_but_path: str) -> list[tuple[Path, str, bool]]:
    """(state folder, its warehouse path, parsed from the same inputs but the path) of the
    other warehouses with this file name: the same inputs first, then newest first."""
    own = parse_state_dir(warehouse, DUCKDB)
    found: list[tuple[bool, float, Path, str]] = []
    for state in (PROJECT_DIR / STATE_ROOT).glob(f"{warehouse.stem}-*"):
        recorded, saved = state / WAREHOUSE_FILE, state / PARTIAL_PARSE_FILE
        if state == own or not recorded.is_file() or not saved.is_file():
            continue
        record = json.loads(recorded.read_text(encoding="utf-8"))
        other = str(record["warehouse"])
        # the folder must be the one this path and the DuckDB target give (not a copy, not
        # another target's folder of the same file name)
        if Path(other).stem != warehouse.stem or parse_state_dir(Path(other), DUCKDB) != state:
            continue
        same = record.get("inputs_but_path") == inputs_but_path and all(
            (state / name).is_file() for name in MANIFESTS
        )
        found.append((same, saved.stat().st_mtime, state, other))
    return [(state, other, same) for same, _, state, other in sorted(found, reverse=True)]


def _same_inputs_record(sibling: Path, inputs_but_path: str) -> bytes | None:
    """The sibling's record as it is now, if it still says it was parsed from these inputs."""
    try:
        record = (sibling / WAREHOUSE_FILE).read_bytes()
    except FileNotFoundError:
        return None
    if json.loads(record).get("inputs_but_path") != inputs_but_path:
        return None
    return record


def seed_parse_state(
    env: Mapping[str, str],
    target: str,
    inputs_but_path: str,
    say: Callable[[str], object] | None = None,
) -> Seeded:
    """Give the warehouse of ``env`` (FUNNEL_WAREHOUSE; no state of its own yet) a copy of a
    sibling's state with its own profile fingerprint, and the sibling's manifests when it was
    parsed from the same inputs but the path (``inputs_but_path``). Never raises: a full parse
    is the fallback."""
    warehouse = Path(env["FUNNEL_WAREHOUSE"])
    state = parse_state_dir(warehouse, target)
    if target != DUCKDB or (state / PARTIAL_PARSE_FILE).exists():
        return Seeded.NOTHING
    try:
        for sibling, other, same_inputs in _siblings(warehouse, inputs_but_path)[:1]:
            saved = (sibling / PARTIAL_PARSE_FILE).read_bytes()
            old = profile_fingerprint(other, env).encode("ascii")
            if saved.count(old) != 1:
                if say:
                    say(f"dbt state of {other} not reused: its profile differs")
                return Seeded.NOTHING
            new = profile_fingerprint(env["FUNNEL_WAREHOUSE"], env).encode("ascii")
            state.mkdir(parents=True, exist_ok=True)
            partial = state / f".{PARTIAL_PARSE_FILE}.{os.getpid()}"
            partial.write_bytes(saved.replace(old, new))
            os.replace(partial, state / PARTIAL_PARSE_FILE)
            record = _same_inputs_record(sibling, inputs_but_path) if same_inputs else None
            if record is not None:
                for name in MANIFESTS:
                    copy_file_atomically(sibling / name, state / name)
                # parsed again meanwhile (the record dropped or changed): its manifests may not
                # be those of these inputs, so they are not kept and dbt parses instead
                if _same_inputs_record(sibling, inputs_but_path) != record:
                    for name in MANIFESTS:
                        (state / name).unlink(missing_ok=True)
                    record = None
            if record is None:
                if say:
                    say(f"dbt state of another {warehouse.name} reused: dbt parses what differs")
                return Seeded.STATE
            if say:
                say(f"dbt parse of another {warehouse.name} from the same inputs reused: no parse")
            return Seeded.WHOLE
    except Exception as error:  # an optimisation only: dbt parses in full without it
        if say:
            say(f"dbt state not reused ({type(error).__name__}: {error}): a full parse")
    return Seeded.NOTHING
