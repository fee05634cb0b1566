"""The generated world as a loader's Salesforce dump: the objects of the ``salesforce`` shape
with snake_case names (``salesforce/opportunity_history/``, ``stage_name``), one gzipped JSON
Lines file per object and window, empty values as JSON null."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from orchestration.landing_contract import snake_case
from orchestration.sample_data.formats.salesforce import SYSTEM, load_labels, objects, read_world


def write(canonical: Path, output: Path) -> None:
    for name, tag, (header, rows) in objects(read_world(canonical), load_labels()):
        keys = [snake_case(h) for h in header]
        lines = [
            json.dumps(dict(zip(keys, [v if v != "" else None for v in row], strict=True)))
            for row in rows
        ]
        target = output / SYSTEM / snake_case(name) / f"{snake_case(name)}__{tag}.jsonl.gz"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip.compress("".join(line + "\n" for line in lines).encode(), mtime=0))
