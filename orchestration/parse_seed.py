"""A new warehouse's first parse starts from another warehouse's state, so it parses partially.

dbt parses the whole project again ("Unable to do partial parsing because profile has
changed") when the connection info of the profile differs from the one its saved state was
parsed with, and for DuckDB that info holds the warehouse path. So every new warehouse path (a
test's, the benchmark's rebuild, a second warehouse) paid a full parse: 8.1 s against 3.0 s
partially (the project as of December, idle). Yet the manifest does not depend on the path:
dbt names the database after the file's stem, and no model or macro reads the path.

So when a warehouse has no state of its own, ``seed_parse_state`` copies the state of another
warehouse with the same file name and the DuckDB target (the newest such folder under
``target/parse_state/`` that recorded its warehouse's path) and replaces the profile
fingerprint saved in it (``state_check.profile_hash``, a sha256 of the connection info) with
the new warehouse's. It checks first that it can compute that fingerprint as dbt does: the
fingerprint computed for the other warehouse's path with today's environment must be the one
saved in its state, exactly once in the file; if not (another environment, another dbt), no
state is seeded and dbt parses in full, as before. dbt then checks everything else itself
(files, vars, the environment of dbt_project.yml) and parses again whatever changed; the
manifest equals a full parse's (``tests/test_parse_state.py``). Only the DuckDB target is
seeded: PostgreSQL's profile does not name the warehouse, Spark's names a folder next to it.
"""

from __future__ import annotations

import contextvars
import os
import pprint
from collections.abc import Callable, Mapping
from pathlib import Path

from orchestration.engines.targets import DUCKDB
from orchestration.parse_state import PARTIAL_PARSE_FILE, STATE_ROOT, parse_state_dir
from orchestration.settings import PROJECT_DIR

#: the file in a parse-state folder naming the warehouse it was parsed for
WAREHOUSE_FILE = "warehouse_path"
PROFILE_NAME = "funnel_warehouse"


def remember_warehouse(state: Path, warehouse: str) -> None:
    """Note in ``state`` the warehouse path (as profiles.yml got it) it was parsed for: a later
    seed recomputes the profile fingerprint from it."""
    partial = state / f".{WAREHOUSE_FILE}.{os.getpid()}"
    partial.write_text(warehouse + "\n", encoding="utf-8")
    os.replace(partial, state / WAREHOUSE_FILE)


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


def _siblings(warehouse: Path) -> list[tuple[Path, str]]:
    """(state folder, its warehouse) of the other warehouses with this file name, newest first."""
    own = parse_state_dir(warehouse, DUCKDB)
    found: list[tuple[float, Path, str]] = []
    root = PROJECT_DIR / STATE_ROOT
    for state in root.glob(f"{Path(warehouse).stem}-*"):
        recorded = state / WAREHOUSE_FILE
        saved = state / PARTIAL_PARSE_FILE
        if state == own or not recorded.is_file() or not saved.is_file():
            continue
        other = recorded.read_text(encoding="utf-8").strip()
        # the folder name must be the one this path and the DuckDB target give (not a copy,
        # not another target's folder of the same file name)
        if (
            Path(other).stem != Path(warehouse).stem
            or parse_state_dir(Path(other), DUCKDB) != state
        ):
            continue
        found.append((saved.stat().st_mtime, state, other))
    return [(state, other) for _, state, other in sorted(found, reverse=True)]


def seed_parse_state(
    env: Mapping[str, str],
    target: str,
    say: Callable[[str], object] | None = None,
) -> bool:
    """Give the warehouse of ``env`` (FUNNEL_WAREHOUSE; no state of its own yet) a copy of a
    sibling's state with its own profile fingerprint. True when seeded; never raises (a full
    parse is the fallback)."""
    warehouse = Path(env["FUNNEL_WAREHOUSE"])
    state = parse_state_dir(warehouse, target)
    if target != DUCKDB or (state / PARTIAL_PARSE_FILE).exists():
        return False
    try:
        for sibling, other in _siblings(warehouse)[:1]:
            saved = (sibling / PARTIAL_PARSE_FILE).read_bytes()
            old = profile_fingerprint(other, env).encode("ascii")
            if saved.count(old) != 1:
                if say:
                    say(f"dbt state of {other} not reused: its profile differs")
                return False
            new = profile_fingerprint(env["FUNNEL_WAREHOUSE"], env).encode("ascii")
            state.mkdir(parents=True, exist_ok=True)
            partial = state / f".{PARTIAL_PARSE_FILE}.{os.getpid()}"
            partial.write_bytes(saved.replace(old, new))
            os.replace(partial, state / PARTIAL_PARSE_FILE)
            if say:
                say(f"dbt state of another {warehouse.name} reused: the parse is partial")
            return True
    except Exception as error:  # an optimisation only: dbt parses in full without it
        if say:
            say(f"dbt state not reused ({type(error).__name__}: {error}): a full parse")
    return False
