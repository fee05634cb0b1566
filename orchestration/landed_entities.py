"""Every entity the landing folder can hold: the canonical contract and each native system.

The canonical contract (:mod:`orchestration.landing_contract`) is found by its exact folder
``<source>/<entity>``; a native system's object (:mod:`orchestration.native_contracts`) by
its folder ignoring case and underscores (``salesforce/Lead``, ``salesforce/lead``,
``salesforce/opportunity_history``).
"""

from __future__ import annotations

from orchestration.landing_contract import ENTITIES, Entity, match_key
from orchestration.native_contracts import NATIVE_ENTITIES

LANDED_ENTITIES: tuple[Entity, ...] = ENTITIES + NATIVE_ENTITIES
#: by ``Entity.path`` (the manifest's ``entity`` column)
LANDED_BY_PATH: dict[str, Entity] = {e.path: e for e in LANDED_ENTITIES}

_NATIVE_BY_FOLDER: dict[tuple[str, str], Entity] = {
    (e.source, match_key(e.name)): e for e in NATIVE_ENTITIES
}
NATIVE_SYSTEMS: frozenset[str] = frozenset(e.source for e in NATIVE_ENTITIES)


def entity_at(source: str, folder: str) -> Entity | None:
    """The entity whose files land in ``<source>/<folder>/`` (None when none does)."""
    exact = LANDED_BY_PATH.get(f"{source}/{folder}")
    if exact is not None or source not in NATIVE_SYSTEMS:
        return exact
    return _NATIVE_BY_FOLDER.get((source, folder.replace("_", "").lower()))
