"""Landed column names: normalised, checked, and kept out of the names the warehouse uses.

A header name is stripped and lower-cased (``" Team "`` is ``team``). Two namespaces belong to
the warehouse, not to landed files:

- every name starting with ``_``: the lineage columns (``_file_hash``, ``_source_file``,
  ``_source_line``, ``_loaded_at``), the loader's temp columns (``__line``, ...) and the
  columns the models add (``_version_rank`` in the ``latest_version`` macro);
- DuckDB's pseudo columns: ``rowid`` (every table) and ``filename``, ``file_row_number``,
  ``file_index`` (the file readers).

A landed column with such a name is kept, renamed with the prefix ``x_`` (``rowid`` ->
``x_rowid``, ``_version_rank`` -> ``x__version_rank``), and the manifest row of the file says
so. A native system's file (``Entity.native``) has its header matched to the contract's
snake_case names ignoring case and underscores, a loader's property prefix stripped
(``StageName``, ``stage_name``, ``property_stagename`` -> ``stage_name``); a header the
contract does not name is kept in snake_case (``Custom_Field__c`` -> ``custom_field__c``).
Inside the loader the landed names never appear in SQL except as the target columns of
the raw table: the file is read into positional columns (``__c1``, ``__c2``, ...).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orchestration.ingestion.file_checks import FileRejected
from orchestration.landing_contract import Entity, match_key, snake_case

RESERVED_PREFIX = "_"
DUCKDB_PSEUDO_COLUMNS = frozenset({"rowid", "filename", "file_row_number", "file_index"})
RENAME_PREFIX = "x_"


def is_reserved(name: str) -> bool:
    return name.startswith(RESERVED_PREFIX) or name in DUCKDB_PSEUDO_COLUMNS


def internal_name(position: int) -> str:
    """The loader's name for the landed column at ``position`` (0-based)."""
    return f"__c{position + 1}"


@dataclass(frozen=True)
class LandedColumns:
    """The columns of one landed file, in file order."""

    #: the names as stored in raw (normalised, reserved names renamed)
    names: tuple[str, ...]
    #: (landed name, stored name) of every renamed column
    renamed: tuple[tuple[str, str], ...] = ()

    @property
    def internal(self) -> tuple[str, ...]:
        return tuple(internal_name(i) for i in range(len(self.names)))

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        """(stored name, internal name) of every column."""
        return tuple(zip(self.names, self.internal, strict=True))

    @property
    def note(self) -> str | None:
        """What the manifest says about renamed columns (None when none was renamed)."""
        if not self.renamed:
            return None
        renames = ", ".join(f"{old} -> {new}" for old, new in self.renamed)
        return (
            f"renamed column(s) {renames}: names starting with '_' and DuckDB's "
            f"{', '.join(sorted(DUCKDB_PSEUDO_COLUMNS))} are reserved for the warehouse"
        )


def native_names(entity: Entity, raw_names: Sequence[str]) -> list[str]:
    """A native file's header as the contract's column names (extras in snake_case)."""
    contract = {match_key(c.name): c.name for c in entity.columns}
    return [
        contract.get(match_key(name), snake_case(name)) if name.strip() else ""
        for name in raw_names
    ]


def landed_columns(
    raw_names: Sequence[str], relative: str, entity: Entity | None = None
) -> LandedColumns:
    """Normalise a file's header; reject it when names are missing or repeat."""
    if entity is not None and entity.native:
        matched = native_names(entity, raw_names)
        repeated = sorted(
            {
                n
                for n in matched
                if n and matched.count(n) > 1 and n in {c.name for c in entity.columns}
            }
        )
        if repeated:
            pairs = list(zip(raw_names, matched, strict=True))
            sources = [
                f"{name} <- {', '.join(r for r, m in pairs if m == name)}" for name in repeated
            ]
            raise FileRejected(
                f"{relative}: line 1: several header columns match the same column of "
                f"{entity.path} (matching ignores case, underscores and a property_ prefix): "
                f"{'; '.join(sources)}"
            )
        raw_names = matched
    names = [name.strip().lower() for name in raw_names]
    if not any(names):
        raise FileRejected(f"{relative}: line 1: the header row is empty")
    blanks = [i + 1 for i, n in enumerate(names) if not n]
    if blanks:
        raise FileRejected(f"{relative}: line 1: header column(s) {blanks} have no name")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise FileRejected(f"{relative}: line 1: duplicate header column(s): {duplicates}")
    renamed = [(n, RENAME_PREFIX + n) for n in names if is_reserved(n)]
    clashes = [(old, new) for old, new in renamed if new in names]
    if clashes:
        raise FileRejected(
            f"{relative}: line 1: column(s) {', '.join(old for old, _ in clashes)} must be "
            f"renamed (the name is reserved for the warehouse) but the file already has "
            f"{', '.join(new for _, new in clashes)}; rename them"
        )
    new_names = dict(renamed)
    return LandedColumns(tuple(new_names.get(n, n) for n in names), tuple(renamed))
