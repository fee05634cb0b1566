"""The generator's state file, ``<landing>/_generator_state.json``, so later nights can continue."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import date
from pathlib import Path

from orchestration.sample_data.timeutil import epoch_day

STATE_FILE = "_generator_state.json"
STATE_VERSION = 1


@dataclass(frozen=True)
class GeneratorState:
    """Arguments of the history run plus how many single-day nights were generated after it."""

    seed: int
    leads: int
    start_date: date
    days: int
    extracts: int
    nights_generated: int = 0

    @property
    def start_day(self) -> int:
        """Epoch day of the first day of the history."""
        return epoch_day(self.start_date)

    @property
    def history_end_day(self) -> int:
        """Epoch day just after the history."""
        return self.start_day + self.days

    def night_day(self, night: int) -> int:
        """Epoch day of night ``night`` (0 = the first day after the history)."""
        return self.history_end_day + night

    def night_leads(self, night: int) -> tuple[int, int]:
        """``(first lead index, count)`` of the leads created on night ``night``.

        The average daily rate of the history, spread exactly: nights 0..n-1 together create
        ``n * leads // days`` leads.
        """
        first = self.leads + night * self.leads // self.days
        return first, self.leads + (night + 1) * self.leads // self.days - first

    def with_nights(self, nights: int) -> GeneratorState:
        """A copy with ``nights_generated`` set."""
        return replace(self, nights_generated=nights)

    def save(self, directory: Path) -> Path:
        """Write the state file into ``directory`` (deterministic bytes); return its path."""
        data = asdict(self)
        data["start_date"] = self.start_date.isoformat()
        data["version"] = STATE_VERSION
        path = directory / STATE_FILE
        path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls, directory: Path) -> GeneratorState:
        """Read the state file of a landing folder written by ``generate_landing``."""
        path = directory / STATE_FILE
        if not path.is_file():
            raise FileNotFoundError(
                f"{path} not found: generate the history first (generate_landing) in this folder"
            )
        data = json.loads(path.read_text(encoding="utf-8"))
        version = data.pop("version", STATE_VERSION)
        if version != STATE_VERSION:
            raise ValueError(f"{path}: unsupported state version {version}")
        return cls(
            seed=int(data["seed"]),
            leads=int(data["leads"]),
            start_date=date.fromisoformat(data["start_date"]),
            days=int(data["days"]),
            extracts=int(data["extracts"]),
            nights_generated=int(data.get("nights_generated", 0)),
        )
