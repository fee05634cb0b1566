"""Checks on a landed CSV file before DuckDB reads it: encoding, header, line count.

Each check returns a problem as text (naming the file, line and what is wrong) or data;
the loader turns a problem into a whole-file rejection.
"""

from __future__ import annotations

import csv
import gzip
import io
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from orchestration.landing_contract import Entity

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class FileRejected(Exception):
    """A problem that stops a whole file from loading. The message names file and problem."""


@dataclass(frozen=True)
class CsvLayout:
    header: list[str]
    has_bom: bool
    data_lines: int


def _open_binary(path: Path) -> BinaryIO:
    if path.name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _guess_single_byte_encoding(sample: bytes) -> str:
    # Cyrillic in cp1251 uses bytes 0xC0-0xFF heavily; Latin-2/1250 only occasionally.
    high = sum(1 for b in sample if b >= 0xC0)
    return "cp1251 (Cyrillic)" if high > len(sample) * 0.05 else "a single-byte code page"


def read_header(path: Path, relative: str) -> tuple[list[str], bool]:
    """The normalised header names (stripped, lowercase) and whether a UTF-8 BOM was present."""
    with _open_binary(path) as handle:
        first = handle.readline(1 << 20)
    if not first:
        raise FileRejected(f"{relative}: the file is empty (no header row)")
    if first.startswith(UTF16_BOMS) or b"\x00" in first[:4]:
        raise FileRejected(
            f"{relative}: the file is encoded as UTF-16; the landing contract requires UTF-8 "
            "(re-export it as UTF-8)"
        )
    has_bom = first.startswith(UTF8_BOM)
    if has_bom:
        first = first[len(UTF8_BOM) :]
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        raise FileRejected(
            f"{relative}: line 1: the header is not valid UTF-8 (it looks like "
            f"{_guess_single_byte_encoding(first)}); the landing contract requires UTF-8"
        ) from None
    if "\x00" in text:
        raise FileRejected(f"{relative}: line 1: the header contains NUL bytes")
    row = next(csv.reader(io.StringIO(text)), [])
    names = [name.strip().lower() for name in row]
    if not any(names):
        raise FileRejected(f"{relative}: line 1: the header row is empty")
    if ";" in text and len(names) == 1:
        raise FileRejected(
            f"{relative}: line 1: the header uses ';' as delimiter; the landing contract "
            "requires ','"
        )
    blanks = [i + 1 for i, n in enumerate(names) if not n]
    if blanks:
        raise FileRejected(f"{relative}: line 1: header column(s) {blanks} have no name")
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise FileRejected(f"{relative}: line 1: duplicate header column(s): {duplicates}")
    return names, has_bom


def check_required_columns(entity: Entity, header: list[str], relative: str) -> None:
    missing = [c for c in entity.required_names if c not in header]
    if missing:
        raise FileRejected(
            f"{relative}: line 1: the header lacks required column(s) "
            f"{', '.join(missing)} of {entity.path}; found: {', '.join(header)}"
        )


def count_data_lines(path: Path) -> int:
    """Non-blank physical lines after the header: the rows that landed."""
    count = 0
    with _open_binary(path) as handle:
        if handle.read(2) in UTF16_BOMS:
            with io.TextIOWrapper(_open_binary(path), encoding="utf-16") as text:
                text.readline()
                return sum(1 for line in text if line.strip("\r\n"))
        handle.seek(0)
        handle.readline()
        for line in handle:
            if line.strip(b"\r\n"):
                count += 1
    return count


def inspect_csv(path: Path, relative: str, entity: Entity) -> CsvLayout:
    header, has_bom = read_header(path, relative)
    check_required_columns(entity, header, relative)
    return CsvLayout(header=header, has_bom=has_bom, data_lines=count_data_lines(path))
