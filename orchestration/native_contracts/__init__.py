"""Native systems' landing contracts: the objects a CRM (or billing, ads) system exports.

One module per system, each exporting ``ENTITIES``: a tuple of
:class:`~orchestration.landing_contract.Entity` with ``source=<system>``, ``native=True`` and
``name=<the object as the system names it>`` (``Lead``, ``OpportunityHistory``). Files land in
``<landing>/<system>/<Object>/`` (the folder matched ignoring case and underscores, so
``salesforce/opportunity_history/`` is the same object) and load into
``raw.<system>__<object in snake_case>``. Column names are the contract's snake_case names; a
landed header matches one ignoring case and underscores, with a loader's ``property_`` /
``properties_`` prefix stripped (``StageName``, ``stage_name`` and ``property_stagename`` are
all ``stage_name``). A header the contract does not name is kept as an extra text column, in
snake_case. Besides CSV, .csv.gz and Parquet, native objects load JSON Lines (.jsonl, .ndjson,
gzipped too). A timestamp column declared with ``epoch`` also reads Unix epoch numbers.

Add a system: write ``<system>.py`` with its ``ENTITIES`` and list the module in ``SYSTEMS``.
"""

from __future__ import annotations

from types import ModuleType

from orchestration.landing_contract import Entity
from orchestration.native_contracts import (
    google_ads,
    hubspot,
    linkedin_ads,
    meta_ads,
    salesforce,
    stripe,
)

#: every native system's module, in a stable order
SYSTEMS: tuple[ModuleType, ...] = (salesforce, hubspot, stripe, google_ads, meta_ads, linkedin_ads)

NATIVE_ENTITIES: tuple[Entity, ...] = tuple(e for system in SYSTEMS for e in system.ENTITIES)
