"""Windowed CSV writers: one file per (entity, extract window), written as rows arrive.

Memory stays flat: rows go to buffered file handles in chunks of at most ``_CHUNK`` lines; at
most ``max_open`` handles are open at a time (the oldest is closed and reopened in append mode
when needed again). Lines are exactly what ``csv.writer`` (minimal quoting, ``\n``) writes; a
row with nothing to quote is joined directly, which is several times faster.
"""

from __future__ import annotations

import csv
import io
from bisect import bisect_right
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

from orchestration.sample_data.columns import ENTITY_PATHS, header, permutation
from orchestration.sample_data.timeutil import DAY, day_date


@dataclass(frozen=True)
class Window:
    """An extract window: epoch days ``[start_day, end_day)``."""

    start_day: int
    end_day: int

    @property
    def tag(self) -> str:
        """``YYYYMMDD_YYYYMMDD``: first and last (inclusive) day of the window."""
        first = day_date(self.start_day).strftime("%Y%m%d")
        last = day_date(self.end_day - 1).strftime("%Y%m%d")
        return f"{first}_{last}"


V = TypeVar("V", bound=tuple[Any, ...])

_CHUNK = 64
_FORMAT_BUFFER = io.StringIO()
_FORMAT_WRITER = csv.writer(_FORMAT_BUFFER, lineterminator="\n")


def csv_line(row: list[str]) -> str:
    """``row`` as one CSV line (``\n``-terminated), quoted by the ``csv`` module."""
    _FORMAT_BUFFER.seek(0)
    _FORMAT_BUFFER.truncate()
    _FORMAT_WRITER.writerow(row)
    return _FORMAT_BUFFER.getvalue()


class _OpenFile:
    """An open landing file and the lines not yet handed to it."""

    __slots__ = ("file", "pending")

    def __init__(self, file: IO[str]) -> None:
        self.file = file
        self.pending: list[str] = []

    def flush(self) -> None:
        if self.pending:
            self.file.write("".join(self.pending))
            self.pending.clear()

    def close(self) -> None:
        self.flush()
        self.file.close()


def last_per_window(sink: Sink, versions: list[V]) -> list[tuple[int, V]]:
    """The last version in each window, as ``(window, version)``.

    ``versions`` are sorted by time, with the time (epoch seconds) as their first item.
    """
    chosen: list[tuple[int, V]] = []
    for v in versions:
        w = sink.window_of(v[0])
        if w < 0:
            continue
        if chosen and chosen[-1][0] == w:
            chosen[-1] = (w, v)
        else:
            chosen.append((w, v))
    return chosen


def file_path(code: int, window: Window) -> Path:
    """Path of an entity's file for ``window``, relative to the landing folder."""
    path = ENTITY_PATHS[code]
    name = path.rsplit("/", 1)[1]
    return Path(path) / f"{name}__{window.tag}.csv"


class Sink:
    """Routes rows to the file of the window their event time falls in.

    ``clamp_early``: events before the first window go to the first window (the initial
    extract of a history carries everything that happened before it); otherwise they are
    dropped. Events at or after the end of the last window are always dropped.
    """

    def __init__(
        self, root: Path, windows: list[Window], *, clamp_early: bool, max_open: int = 128
    ) -> None:
        self.root = root
        self.windows = windows
        self.starts = [w.start_day * DAY for w in windows]
        self.first = self.starts[0]
        self.end = windows[-1].end_day * DAY
        self.clamp_early = clamp_early
        self.single = len(windows) == 1
        self.max_open = max_open
        self.n_windows = len(windows)
        self._handles: OrderedDict[int, _OpenFile] = OrderedDict()
        self._started: set[int] = set()
        self._perms = [permutation(code) for code in range(len(ENTITY_PATHS))]
        self.rows = [0] * len(ENTITY_PATHS)

    def window_of(self, ts: int) -> int:
        """Index of the window that receives an event at ``ts``, or -1 if none does."""
        if ts >= self.end:
            return -1
        if ts < self.first:
            return 0 if self.clamp_early else -1
        if self.single:
            return 0
        return bisect_right(self.starts, ts) - 1

    def write(self, code: int, window: int, row: list[str]) -> None:
        """Append ``row`` (generated layout of entity ``code``) to its window's file."""
        key = code * self.n_windows + window
        entry = self._handles.get(key)
        if entry is None:
            entry = self._open(code, window, key)
        perm = self._perms[code]
        if perm is not None:
            row = [row[j] if j >= 0 else "" for j in perm]
        line = ",".join(row)
        if line.count(",") != len(row) - 1 or '"' in line or "\n" in line or "\r" in line:
            line = csv_line(row)
        else:
            line += "\n"
        pending = entry.pending
        pending.append(line)
        if len(pending) >= _CHUNK:
            entry.flush()
        self.rows[code] += 1

    def _open(self, code: int, window: int, key: int) -> _OpenFile:
        if len(self._handles) >= self.max_open:
            _, old = self._handles.popitem(last=False)
            old.close()
        path = self.root / file_path(code, self.windows[window])
        first_time = key not in self._started
        if first_time:
            path.parent.mkdir(parents=True, exist_ok=True)
        entry = _OpenFile(path.open("w" if first_time else "a", encoding="utf-8", newline=""))
        if first_time:
            entry.pending.append(csv_line(header(code)))
            self._started.add(key)
        self._handles[key] = entry
        return entry

    def close(self) -> list[Path]:
        """Close every file; return the files written, relative to the root, sorted."""
        while self._handles:
            _, entry = self._handles.popitem(last=False)
            entry.close()
        n = self.n_windows
        return sorted(file_path(key // n, self.windows[key % n]) for key in self._started)
