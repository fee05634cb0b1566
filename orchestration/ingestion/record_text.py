"""The text of rejected records, byte for byte as they stand in the landed file.

A rejected row's ``raw_text`` is its record as the file has it: every physical line of the
record (a quoted value may span several), with the line endings inside it kept and the one
that ends it left out (``\\n`` or ``\\r\\n``). Empty fields, quotes and spaces stay as they
are. Only the rejected records are read out, in one pass over the file that stops after the
last one, so a clean file costs nothing here. A record longer than ``MAX_TEXT_BYTES`` (only an
unterminated quote that swallows the rest of the file gets there) keeps its first
``MAX_TEXT_BYTES``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from orchestration.ingestion.file_checks import open_landed

MAX_TEXT_BYTES = 1 << 20


def _without_line_end(data: bytes) -> bytes:
    if data.endswith(b"\r\n"):
        return data[:-2]
    if data.endswith(b"\n"):
        return data[:-1]
    return data


def record_texts(path: Path, records: Iterable[tuple[int, int]]) -> dict[int, str]:
    """{first line: text} of the records given as (first line, lines spanned)."""
    spans = dict(records)
    if not spans:
        return {}
    texts: dict[int, str] = {}
    last = max(line + span - 1 for line, span in spans.items())
    current: tuple[int, int, bytearray] | None = None  # (first line, last line, bytes)
    with open_landed(path) as handle:
        for number, line in enumerate(handle, start=1):
            if current is None and number in spans:
                current = (number, number + spans[number] - 1, bytearray())
            if current is not None:
                first, through, data = current
                if len(data) < MAX_TEXT_BYTES:
                    data += line[: MAX_TEXT_BYTES - len(data)]
                if number >= through:
                    texts[first] = _without_line_end(bytes(data)).decode("utf-8", "replace")
                    current = None
            if number >= last:
                break
    if current is not None:  # the file ended inside the record
        first, _, data = current
        texts[first] = _without_line_end(bytes(data)).decode("utf-8", "replace")
    return texts
