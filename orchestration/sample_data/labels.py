"""CRM stage and status labels, read from ``seeds/crm_stage_labels.csv`` at generation time;
every stage of ``seeds/funnel_stages.csv`` must have one per CRM the generator writes."""

from __future__ import annotations

import csv
from pathlib import Path

#: repository root: orchestration/sample_data/labels.py -> parents[2]
REPO_ROOT = Path(__file__).resolve().parents[2]
LABELS_SEED = REPO_ROOT / "seeds" / "crm_stage_labels.csv"
STAGES_SEED = REPO_ROOT / "seeds" / "funnel_stages.csv"

SYSTEMS: tuple[str, ...] = ("hubspot", "amocrm", "bitrix24", "pipedrive")

#: system -> stage_key -> labels in seed order
Labels = dict[str, dict[str, tuple[str, ...]]]


def stage_keys(path: Path = STAGES_SEED) -> tuple[str, ...]:
    """Every stage key of the stage seed, in seed order (the one list of funnel stages)."""
    with path.open(encoding="utf-8", newline="") as f:
        return tuple(row["stage_key"].strip() for row in csv.DictReader(f))


def load_labels(path: Path = LABELS_SEED, stages_path: Path = STAGES_SEED) -> Labels:
    """Read the label seed: for every source system, the labels of every funnel stage.

    Raises ``ValueError`` if a system the generator writes lacks a label for a stage.
    """
    collected: dict[str, dict[str, list[str]]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            stage_map = collected.setdefault(row["source_system"].strip(), {})
            stage_map.setdefault(row["stage_key"].strip(), []).append(row["label"])
    labels: Labels = {}
    for system in SYSTEMS:
        stages = collected.get(system, {})
        missing = [s for s in stage_keys(stages_path) if not stages.get(s)]
        if missing:
            raise ValueError(f"{path.name}: no label for {system} stage(s) {', '.join(missing)}")
        labels[system] = {k: tuple(v) for k, v in stages.items()}
    return labels


def vary(label: str, r: float) -> str:
    """A hand-typed variant of ``label`` for ``r`` < 0.015 (case or surrounding spaces), else it.

    ``r`` is a uniform draw in [0, 1); staging normalises these with ``lower(trim())``.
    """
    if r >= 0.015:
        return label
    k = int(r * 400) % 5
    if k == 0:
        return label.upper()
    if k == 1:
        return label.lower()
    if k == 2:
        return label + " "
    if k == 3:
        return " " + label
    return label.lower() + " "
