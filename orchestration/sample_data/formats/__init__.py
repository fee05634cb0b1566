"""The shapes ``funnel generate --format`` writes the same generated world in.

A shape is a module here with a ``write(canonical: Path, output: Path) -> None`` that turns the
canonical landing folder the generator wrote (``canonical``) into files of that shape under
``output``; ``canonical`` writes it as it is. Register a shape in ``FORMATS``; several shapes
are combined with commas (``--format salesforce,stripe``): each converts the entities it owns,
and the files no shape claims are copied as canonical files.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from orchestration.sample_data.formats import ads, hubspot, salesforce, salesforce_loader, stripe

Writer = Callable[[Path, Path], None]

#: shape name -> (writer, canonical entity folders it replaces)
FORMATS: dict[str, tuple[Writer | None, frozenset[str]]] = {
    "canonical": (None, frozenset()),
    "salesforce": (salesforce.write, salesforce.REPLACES),
    "salesforce-loader": (salesforce_loader.write, salesforce.REPLACES),
    "hubspot": (hubspot.write, hubspot.REPLACES),
    "stripe": (stripe.write, stripe.REPLACES),
    "ads": (ads.write, ads.REPLACES),
}


def parse_formats(text: str) -> list[str]:
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise ValueError(
            f"unknown --format {', '.join(unknown) or repr(text)}; choose from "
            f"{', '.join(FORMATS)} (combine with commas)"
        )
    return names


def convert(canonical: Path, output: Path, names: list[str]) -> None:
    """Write the canonical landing folder ``canonical`` to ``output`` in the shapes ``names``."""
    replaced: set[str] = set()
    for name in names:
        writer, replaces = FORMATS[name]
        if writer is not None:
            writer(canonical, output)
            replaced |= replaces
    for path in sorted(canonical.rglob("*")):
        relative = path.relative_to(canonical)
        if not path.is_file() or "/".join(relative.parts[:2]) in replaced:
            continue
        target = output / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
