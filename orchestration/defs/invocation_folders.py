"""Old dbt invocation folders under the project's ``target/`` are removed (issue 17).

Every ``dbt build`` of a night writes its own folder, ``target/<op>-<run id[:7]>-<random>/``
(compiled and run SQL, ``manifest.json``, ``run_results.json``, ``dbt.log``): about 20 MB at
10,000 leads, so a year of nights would keep 7 GB nobody reads. After each build the newest
``KEPT`` stay, and of the others only those untouched for ``MIN_AGE_SECONDS`` are removed: a
folder of another build still running beside this one (another warehouse, the tests, the
benchmark) is never taken.
"""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

#: how many of the newest invocation folders are always kept
KEPT = 10
#: an older folder is removed only when nothing in it changed for this long
MIN_AGE_SECONDS = 24 * 3600
#: ``<op>-<run id[:7]>-<random[:7]>``, as ``invocation_folder`` names them
FOLDER_NAME = re.compile(r"^[A-Za-z0-9_]+-[0-9a-f]{7}-[0-9a-f]{7}$")


def prune_invocation_folders(
    target: Path, kept: int = KEPT, min_age_seconds: float = MIN_AGE_SECONDS
) -> list[Path]:
    """Remove the invocation folders under ``target`` beyond the newest ``kept`` that are
    older than ``min_age_seconds``; returns the removed folders. Other folders (the warehouses'
    parse state) and files are never touched."""
    folders = [p for p in target.iterdir() if p.is_dir() and FOLDER_NAME.match(p.name)]
    by_age = sorted(folders, key=_last_change, reverse=True)
    now = time.time()
    removed = []
    for folder in by_age[kept:]:
        if now - _last_change(folder) >= min_age_seconds:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _last_change(folder: Path) -> float:
    """The newest modification time of the folder and its direct entries (a running build
    writes into its folder and into ``run/``)."""
    try:
        return max([folder.stat().st_mtime, *(p.stat().st_mtime for p in folder.iterdir())])
    except FileNotFoundError:
        return time.time()  # removed meanwhile: leave it alone
