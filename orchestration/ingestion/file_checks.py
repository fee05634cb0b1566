"""Checks on a landed CSV file before DuckDB reads it: encoding, header, records and lines.

Each check returns a problem as text (naming the file, line and what is wrong) or data;
the loader turns a problem into a whole-file rejection.

Line numbers are physical lines as an editor shows them (header = line 1). DuckDB's CSV
reader numbers *records* instead (a record whose quoted value spans several lines counts
once, a blank line counts once); :func:`scan_records` reads the file once with the same CSV
grammar to translate one into the other and to count the data lines independently.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from orchestration.landing_contract import Entity

UTF8_BOM = b"\xef\xbb\xbf"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
#: delimiters people use instead of ',' (a header read as one column that contains one)
_WRONG_DELIMITERS = {";": "';'", "\t": "a tab", "|": "'|'"}
_SNIFF_BYTES = 4096
#: a record may hold a long quoted value (or, after an unterminated quote, the rest of the file)
_FIELD_LIMIT = (1 << 31) - 1


class FileRejected(Exception):
    """A problem that stops a whole file from loading. The message names file and problem."""


@dataclass(frozen=True)
class LineScan:
    """The records of a CSV file, numbered as DuckDB's reader numbers them (header = 1).

    ``blank`` and ``multi_line`` are sparse: a file without blank lines or quoted newlines
    has empty tuples, and its record ``n`` starts on physical line ``n``.
    """

    #: non-blank records after the header (what DuckDB parses or rejects)
    data_records: int
    #: physical lines of those records: the file's data lines, the number to account for
    data_lines: int
    #: record numbers of blank lines (DuckDB skips them but counts them)
    blank: tuple[int, ...]
    #: (record number, physical lines) of every record spanning more than one line
    multi_line: tuple[tuple[int, int], ...]


def open_landed(path: Path) -> BinaryIO:
    """The file's bytes, gunzipped when its name ends in ``.gz`` (any case)."""
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


@contextmanager
def _reading(path: Path, relative: str) -> Iterator[BinaryIO]:
    """Open a landed file (gunzipping ``.gz``); an unreadable gzip stream rejects the file."""
    try:
        with open_landed(path) as handle:
            yield handle
    except (gzip.BadGzipFile, EOFError, zlib.error) as error:
        raise FileRejected(f"{relative}: not a readable gzip file: {error}") from None


def sniff_utf16(sample: bytes) -> str | None:
    """The UTF-16 codec a file's first bytes show (by BOM, or by NULs in every other byte)."""
    if sample.startswith(UTF16_BOMS):
        return "utf-16"
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.9 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.9 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _guess_single_byte_encoding(sample: bytes) -> str:
    # Cyrillic in cp1251 uses bytes 0xC0-0xFF heavily; Latin-2/1250 only occasionally.
    high = sum(1 for b in sample if b >= 0xC0)
    return "cp1251 (Cyrillic)" if high > len(sample) * 0.05 else "a single-byte code page"


def read_header(path: Path, relative: str) -> tuple[list[str], bool]:
    """The header's cells as written and whether a UTF-8 BOM was present (names are
    normalised by :func:`column_names.landed_columns`)."""
    with _reading(path, relative) as handle:
        sample = handle.read(_SNIFF_BYTES)
        handle.seek(0)
        first = handle.readline(1 << 20)
    if not sample:
        raise FileRejected(f"{relative}: the file is empty (no header row)")
    if sniff_utf16(sample):
        raise FileRejected(
            f"{relative}: the file is encoded as UTF-16; the landing contract requires UTF-8 "
            "(re-export it as UTF-8)"
        )
    has_bom = first.startswith(UTF8_BOM)
    if has_bom:
        first = first[len(UTF8_BOM) :]
    if b"\x00" in first:
        raise FileRejected(
            f"{relative}: line 1: the header contains NUL bytes (0x00); the landing contract "
            "requires a UTF-8 text file"
        )
    if b"\r" in first.rstrip(b"\r\n"):
        raise FileRejected(
            f"{relative}: line 1: the file uses CR-only (classic Mac) line endings; the landing "
            "contract requires LF or CRLF"
        )
    try:
        text = first.decode("utf-8")
    except UnicodeDecodeError:
        raise FileRejected(
            f"{relative}: line 1: the header is not valid UTF-8 (it looks like "
            f"{_guess_single_byte_encoding(first)}); the landing contract requires UTF-8"
        ) from None
    row = next(csv.reader(io.StringIO(text)), [])
    if not any(cell.strip() for cell in row):
        raise FileRejected(f"{relative}: line 1: the header row is empty")
    if len(row) == 1:
        for delimiter, words in _WRONG_DELIMITERS.items():
            if delimiter in text:
                raise FileRejected(
                    f"{relative}: line 1: the header uses {words} as delimiter; the landing "
                    "contract requires ','"
                )
    return row, has_bom


def check_required_columns(entity: Entity, header: list[str], relative: str) -> None:
    missing = [c for c in entity.required_names if c not in header]
    if missing:
        raise FileRejected(
            f"{relative}: line 1: the header lacks required column(s) "
            f"{', '.join(missing)} of {entity.path}; found: {', '.join(header)}"
        )


def scan_records(path: Path, relative: str) -> LineScan:
    """Read the file once as CSV (',' and '"', like the loader) and number its records.

    Bytes are read as Latin-1, which maps every byte to one character, so the structure
    (quotes, commas, newlines: all ASCII) is seen exactly whatever the encoding.
    """
    csv.field_size_limit(max(csv.field_size_limit(), _FIELD_LIMIT))
    blank: list[int] = []
    multi_line: list[tuple[int, int]] = []
    data_records = data_lines = 0
    with (
        _reading(path, relative) as raw,
        io.TextIOWrapper(raw, encoding="latin-1", newline="") as text,
    ):
        reader = csv.reader(text, strict=False)
        previous = 0
        try:
            for number, record in enumerate(reader, start=1):
                span = reader.line_num - previous
                previous = reader.line_num
                if span > 1:
                    multi_line.append((number, span))
                if not record:
                    blank.append(number)
                elif number > 1:
                    data_records += 1
                    data_lines += span
        except csv.Error as error:
            raise FileRejected(
                f"{relative}: line {reader.line_num}: the file is not readable as CSV: {error}"
            ) from None
    return LineScan(data_records, data_lines, tuple(blank), tuple(multi_line))


def count_data_lines(path: Path, relative: str = "") -> int:
    """Data lines of a file rejected whole (0 when even that cannot be read)."""
    try:
        with _reading(path, relative or path.name) as handle:
            codec = sniff_utf16(handle.read(_SNIFF_BYTES))
            if codec:
                handle.seek(0)
                text = io.TextIOWrapper(handle, encoding=codec, errors="replace", newline="")
                text.readline()
                return sum(1 for line in text if line.strip("\r\n\ufeff"))
        return scan_records(path, relative or path.name).data_lines
    except FileRejected:
        return 0
