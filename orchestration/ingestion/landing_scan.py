"""Every file under the landing folder, told apart: an entity's file, ignored, or unrecognised.

The landing folder holds ``<source>/<entity>/<any sub-folders>/<name>.csv`` (also ``.csv.gz``
and ``.parquet``, in any case: ``LEADS.CSV`` is a CSV file), and a native system's objects in
``<system>/<Object>/`` (the folder matched ignoring case and underscores; JSON Lines files
too, see :mod:`orchestration.native_contracts`). Each file under it is exactly one of:

- an **entity's file**: in a contract entity's folder with a landed extension; the entity's
  ingestion loads or rejects it;
- **ignored**: its name matches a temp, lock or hidden-file pattern (:data:`IGNORE_PATTERNS`),
  or it sits in a hidden folder; never read;
- **unrecognised**: anything else (a file at the landing root or directly in a source
  folder, in a folder the contract does not know, with another extension, a broken link);
  recorded in the manifest with the reason, reported by the run summary and by a warning
  asset check, never loaded.

Symbolic links are followed (a linked folder's files are landed files), each real folder is
read once: a link back to a folder already read (a loop) is ignored with a note.
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from orchestration.landed_entities import LANDED_ENTITIES, entity_at
from orchestration.landing_contract import NATIVE_SUFFIXES, Entity

Kind = Literal["entity", "ignored", "unrecognised"]

#: (name patterns, what such a file is); matched case-insensitively against the file name
IGNORE_PATTERNS: tuple[tuple[tuple[str, ...], str], ...] = (
    ((".*",), "a hidden file (.DS_Store, ._name, .~lock.name#, ...)"),
    (("~$*",), "a Microsoft Office lock file"),
    (("*~",), "an editor's backup copy"),
    (
        ("*.tmp", "*.temp", "*.part", "*.partial", "*.crdownload", "*.filepart"),
        "a file still being written or downloaded",
    ),
    (("thumbs.db", "desktop.ini"), "a Windows folder-view file"),
    (("_success",), "a job's completion marker"),
    # orchestration.sample_data.state.STATE_FILE, at the root of a generated landing folder
    (("_generator_state.json",), "the sample-data generator's state"),
)


@dataclass(frozen=True)
class ScannedFile:
    path: Path
    #: path relative to the landing folder, with forward slashes
    relative_path: str
    kind: Kind
    entity: Entity | None = None
    #: why the file is ignored or unrecognised
    reason: str | None = None


def is_landed_suffix(name: str) -> bool:
    """A name ending the way some entity's files end (the entity's own list decides)."""
    return name.lower().endswith(NATIVE_SUFFIXES)


def ignore_reason(name: str) -> str | None:
    """Why a file of this name is ignored (None when it is not)."""
    lowered = name.lower()
    for patterns, what in IGNORE_PATTERNS:
        for pattern in patterns:
            if fnmatch.fnmatchcase(lowered, pattern):
                return f"ignored: {what} (pattern {pattern})"
    return None


def is_landed_file_name(name: str) -> bool:
    """A name ingestion reads: a landed extension, no ignore pattern."""
    return is_landed_suffix(name) and ignore_reason(name) is None


def _entity_hint(source: str, entity: str) -> str:
    wanted = f"{source}/{entity}".lower()
    near = [e.path for e in LANDED_ENTITIES if e.path.lower() == wanted]
    of_source = [e.name for e in LANDED_ENTITIES if e.source == source]
    if near:
        hint = f"did you mean {near[0]}?"
    elif of_source:
        hint = f"the entities of {source}/: {', '.join(of_source)}"
    else:
        hint = f"the sources: {', '.join(sorted({e.source for e in LANDED_ENTITIES}))}"
    return f"{source}/{entity} is not an entity of the landing contract ({hint})"


def classify(parts: tuple[str, ...]) -> tuple[Kind, Entity | None, str | None]:
    """Where a file at ``parts`` (relative to the landing folder) belongs."""
    name = parts[-1]
    ignored = ignore_reason(name)
    if ignored:
        return "ignored", None, ignored
    if len(parts) == 1:
        return (
            "unrecognised",
            None,
            ("a file directly in the landing folder: files belong in <source>/<entity>/"),
        )
    if len(parts) == 2:
        return (
            "unrecognised",
            None,
            (
                f"a file directly in the source folder {parts[0]}/: files belong in "
                f"{parts[0]}/<entity>/"
            ),
        )
    entity = entity_at(parts[0], parts[1])
    if entity is None:
        return "unrecognised", None, _entity_hint(parts[0], parts[1])
    if not name.lower().endswith(entity.suffixes):
        return (
            "unrecognised",
            entity,
            (
                f"the name does not end in {', '.join(entity.suffixes)} (in any case); this "
                "format is not loaded"
            ),
        )
    return "entity", entity, None


def _hidden_folder(name: str) -> bool:
    return name.startswith(".")


def scan_landing(root: Path) -> list[ScannedFile]:
    """Every file under ``root``, classified, in order of relative path."""
    return sorted(_walk(root), key=lambda f: f.relative_path)


def _walk(root: Path) -> Iterator[ScannedFile]:
    if not root.is_dir():
        return
    seen: dict[tuple[int, int], str] = {}
    for folder, folders, files in os.walk(root, followlinks=True):
        here = Path(folder)
        relative = here.relative_to(root)
        stat = here.stat()
        key = (stat.st_dev, stat.st_ino)
        if key in seen:  # a link to a folder read already (a loop, or the same folder twice)
            folders[:] = []
            yield ScannedFile(
                here,
                relative.as_posix(),
                "ignored",
                reason=f"ignored: a link to the folder {seen[key] or '.'}/, read there",
            )
            continue
        seen[key] = relative.as_posix() if relative.parts else ""
        folders.sort()
        for hidden in [f for f in folders if _hidden_folder(f)]:
            folders.remove(hidden)
            yield ScannedFile(
                here / hidden,
                (relative / hidden).as_posix(),
                "ignored",
                reason="ignored: a hidden folder (name starts with '.'), not read",
            )
        for name in sorted(files):
            path = here / name
            parts = (*relative.parts, name)
            rel = "/".join(parts)
            if not path.is_file():
                why = "a broken symbolic link" if path.is_symlink() else "not a regular file"
                kind: Kind = "ignored" if ignore_reason(name) else "unrecognised"
                yield ScannedFile(path, rel, kind, reason=ignore_reason(name) or why)
                continue
            kind, entity, reason = classify(parts)
            yield ScannedFile(path, rel, kind, entity, reason)
