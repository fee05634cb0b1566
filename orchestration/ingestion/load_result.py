"""What loading one landed file did."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["loaded", "rejected", "skipped"]


@dataclass(frozen=True)
class FileLoadResult:
    relative_path: str
    file_hash: str
    status: Status
    rows_in: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    continuation_lines: int = 0
    message: str | None = None
    #: the first row rejects as "<file>: line <n>: <reason>" (all are in raw._rejected_rows)
    reject_examples: tuple[str, ...] = ()
