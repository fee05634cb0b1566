"""Helpers to declare a native system's objects (see the package's docstring)."""

from __future__ import annotations

from orchestration.landing_contract import Column, ColumnType, Entity, EpochUnit


def native_column(
    name: str,
    type_: ColumnType = "text",
    not_empty: bool = False,
    epoch: EpochUnit | None = None,
) -> Column:
    """A native column: ``name`` in snake_case (``stage_name``, ``created_date``)."""
    return Column(name, type_, not_empty, epoch)


def native_entity(
    system: str,
    name: str,
    key: tuple[str, ...],
    required: tuple[Column, ...],
    optional: tuple[Column, ...] = (),
    description: str = "",
) -> Entity:
    return Entity(system, name, key, required, optional, description, native=True)
