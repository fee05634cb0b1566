"""The landing folder of each scale: generated once by ``generate_landing`` and cached, with
what it holds and how long it took, in ``<cache>/<scale>-seed<seed>/meta.json``."""

from __future__ import annotations

import json
import shutil
import time
from datetime import date
from pathlib import Path
from typing import Any

from bench.measure import say

# generate_landing's defaults, written down so the cache key says what was generated
HISTORY = {"start_date": "2025-01-01", "days": 365, "extracts": 4}


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def dataset(cache_dir: Path, name: str, leads: int, seed: int) -> dict[str, Any]:
    """The cached landing folder of a scale, generated on first use."""
    from orchestration.sample_data import generate_landing

    folder = cache_dir / f"{name}-seed{seed}"
    meta_file = folder / "meta.json"
    wanted = {"leads": leads, "seed": seed, **HISTORY}
    if meta_file.exists():
        meta = json.loads(meta_file.read_text())
        if meta.get("parameters") == wanted and (folder / "landing").is_dir():
            say(f"  dataset {folder.name}: cached ({meta['landed_bytes'] / 1e6:.0f} MB)")
            return {**meta, "path": str(folder / "landing"), "cached": True}
        say(f"  dataset {folder.name}: cached with other parameters, generating again")
    shutil.rmtree(folder, ignore_errors=True)
    partial = cache_dir / f".{name}-seed{seed}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    say(f"  dataset {folder.name}: generating {leads:,} leads ...")
    started = time.perf_counter()
    summary = generate_landing(
        partial / "landing",
        leads=leads,
        seed=seed,
        start_date=date.fromisoformat(HISTORY["start_date"]),
        days=HISTORY["days"],
        extracts=HISTORY["extracts"],
    )
    seconds = time.perf_counter() - started
    meta = {
        "parameters": wanted,
        "generation_seconds": round(seconds, 3),
        "landed_files": len(summary.files),
        "landed_rows": sum(summary.rows.values()),
        "landed_rows_by_entity": summary.rows,
        "landed_bytes": folder_bytes(partial / "landing"),
    }
    (partial / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    partial.rename(folder)
    say(f"  dataset {folder.name}: {seconds:.1f} s, {meta['landed_bytes'] / 1e6:.0f} MB")
    return {**meta, "path": str(folder / "landing"), "cached": False}


def landed_rows(folder: Path) -> int:
    """Data rows of every CSV under ``folder`` (records as csv reads them, headers left out)."""
    import csv

    rows = 0
    for path in sorted(folder.rglob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows += max(sum(1 for _ in csv.reader(handle)) - 1, 0)
    return rows


def shaped_dataset(
    cache_dir: Path, name: str, leads: int, seed: int, shape: str, canonical: dict[str, Any]
) -> dict[str, Any]:
    """The cached landing folder of a scale in a native shape (``funnel generate --format
    <shape>``): the canonical dataset of the same scale and seed (``canonical``, from
    ``dataset``) converted by the same writers, so both shapes hold the same world."""
    from orchestration.sample_data.formats import convert

    folder = cache_dir / f"{name}-seed{seed}-{shape}"
    meta_file = folder / "meta.json"
    wanted = {"leads": leads, "seed": seed, **HISTORY, "shape": shape}
    if meta_file.exists():
        meta = json.loads(meta_file.read_text())
        if meta.get("parameters") == wanted and (folder / "landing").is_dir():
            say(f"  dataset {folder.name}: cached ({meta['landed_bytes'] / 1e6:.0f} MB)")
            return {**meta, "path": str(folder / "landing"), "cached": True}
        say(f"  dataset {folder.name}: cached with other parameters, converting again")
    shutil.rmtree(folder, ignore_errors=True)
    partial = cache_dir / f".{name}-seed{seed}-{shape}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    say(f"  dataset {folder.name}: converting the canonical files ...")
    started = time.perf_counter()
    convert(Path(canonical["path"]), partial / "landing", [shape])
    seconds = time.perf_counter() - started
    meta = {
        "parameters": wanted,
        # the world is generated once (canonical) and converted: both times are reported
        "generation_seconds": canonical["generation_seconds"],
        "conversion_seconds": round(seconds, 3),
        "landed_files": sum(1 for p in (partial / "landing").rglob("*") if p.is_file()),
        "landed_rows": landed_rows(partial / "landing"),
        "landed_bytes": folder_bytes(partial / "landing"),
    }
    (partial / "meta.json").write_text(json.dumps(meta, indent=2) + "\n")
    partial.rename(folder)
    say(f"  dataset {folder.name}: {seconds:.1f} s, {meta['landed_bytes'] / 1e6:.0f} MB")
    return {**meta, "path": str(folder / "landing"), "cached": False}
