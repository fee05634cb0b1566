"""SQL that types a landed text value, and SQL that says why a value cannot load.

A landed column goes through three columns of the loader's temp table, all named after its
position: ``__c<n>`` (the text as landed), ``__p<n>`` (the parts of a timestamp, parsed once)
and ``__t<n>`` (the value in the column's raw type, null when it is not one). A row's reason
is the first problem found, as "<column>: value '<value>' <what is wrong>".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from orchestration.ingestion import time_values
from orchestration.ingestion.sql_text import literal
from orchestration.landing_contract import DUCKDB_TYPES, Column, Entity

_TYPE_WORDS = {
    "timestamp": "an ISO-8601 timestamp (YYYY-MM-DD[THH:MM[:SS[.fff]]][Z|+HH:MM])",
    "date": "an ISO-8601 date (YYYY-MM-DD)",
    "decimal": "a number with '.' as decimal point and no thousand separators",
    "integer": "a whole number",
    "boolean": "a boolean (true/false)",
}
_NUL_BYTE = "the value contains a NUL byte (0x00), which the landing contract does not allow"
_NO_SEPARATORS = "the contract requires '.' as decimal point and no thousand separators"

# Shapes of landed values (RE2, matched against the trimmed value).
_PLAIN_DECIMAL = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
_PLAIN_INTEGER = r"[+-]?\d+(\.0*)?"
#: a decimal that fits decimal(18, 9) before rounding: at most nine digits before the point
_NARROW_DECIMAL = r"[+-]?\d{0,9}(\.\d*)?"
_COMMA_GROUPS = r"[+-]?\d{1,3},\d{3}"  # 1,000: a thousand separator or a decimal comma
_DECIMAL_COMMA = r"[+-]?\d*,\d+"
_THOUSANDS = "[+-]?\\d{1,3}([,.' _\u00a0\u202f]\\d{3})+([.,]\\d+)?"
_DAY_MONTH_YEAR = r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}([T ].*)?"


@dataclass(frozen=True)
class LandedColumnSql:
    """The loader's columns for one landed column (``position`` counts from 1)."""

    name: str
    position: int
    #: the contract's column of that name (None for an extra column)
    contract: Column | None = None

    @property
    def text(self) -> str:
        return f"__c{self.position}"

    @property
    def parsed(self) -> str:
        return f"__p{self.position}"

    @property
    def typed(self) -> str:
        return f"__t{self.position}"


def parse_sql(column: LandedColumnSql) -> str | None:
    """SQL computing the ``parsed`` column (timestamps only), else None."""
    if column.contract and column.contract.type == "timestamp":
        return time_values.parsed_timestamp(column.text)
    return None


def typed_sql(column: LandedColumnSql) -> str:
    """SQL turning the landed text into the column's raw type (null if it fails)."""
    kind = column.contract.type if column.contract else "text"
    if kind == "text":
        return f"nullif({column.text}, '')"
    if kind == "timestamp":
        iso = time_values.timestamp_value(column.parsed)
        epoch = column.contract.epoch if column.contract else None
        if epoch:
            return f"coalesce({iso}, {time_values.epoch_value(column.text, epoch)})"
        return iso
    if kind == "date":
        return time_values.date_value(column.text)
    if kind == "decimal":
        return _decimal_value(column)
    return f"try_cast(nullif(trim({column.text}), '') as {DUCKDB_TYPES[kind]})"


def _decimal_value(column: LandedColumnSql) -> str:
    """The landed text as decimal(38, 9), exactly as ``try_cast(... as decimal(38, 9))`` reads it.

    DuckDB (1.5) casts text to a decimal wider than 18 digits about 30 times slower than to
    decimal(18, 9) (6 µs a value: 2 s of the 333,000 deals of the benchmark's large world).
    A plain value of at most nine digits before the point takes the narrow cast, widened after;
    anything else (an exponent, more digits, a value the narrow cast refuses or that rounds up
    past nine digits) takes the wide cast, so every value is read as before. Not an exponent:
    text to decimal(18, 9) misreads some, ``'+89245.81576817831325e5'`` loses its last digit.
    """
    value = f"nullif(trim({column.text}), '')"
    wide = f"try_cast({value} as {DUCKDB_TYPES['decimal']})"
    narrow = f"cast(try_cast({value} as decimal(18, 9)) as {DUCKDB_TYPES['decimal']})"
    return f"coalesce(case when {_shape(column, _NARROW_DECIMAL)} then {narrow} end, {wide})"


def _value_reason(column: LandedColumnSql, words: str) -> str:
    """SQL text "<column>: value '<value>' <words>" (the value cut at 100 characters)."""
    return (
        f"{literal(column.name + ': value ' + chr(39))} || left({column.text}, 100) || "
        f"{literal(chr(39) + ' ' + words)}"
    )


def _shape(column: LandedColumnSql, pattern: str) -> str:
    return f"regexp_full_match(trim({column.text}), {literal(pattern)})"


def _number_problem(column: LandedColumnSql, kind: str) -> str:
    if kind == "decimal":
        plain, out_of_range = (
            _PLAIN_DECIMAL,
            "is out of range: decimal(38, 9) holds at most 29 digits before the decimal point",
        )
    else:
        plain, out_of_range = (
            _PLAIN_INTEGER,
            "is out of range for a whole number (64-bit integer)",
        )
    whens = [
        f"when {_shape(column, plain)} and {column.typed} is null "
        f"then {_value_reason(column, out_of_range)}",
        f"when {_shape(column, plain)} then null",
        f"when {_shape(column, _COMMA_GROUPS)} then "
        + _value_reason(
            column,
            f"has a ',' that is either a thousand separator or a decimal comma; {_NO_SEPARATORS}",
        ),
        f"when {_shape(column, _DECIMAL_COMMA)} then "
        + _value_reason(column, f"uses a decimal comma; {_NO_SEPARATORS}"),
        f"when {_shape(column, _THOUSANDS)} then "
        + _value_reason(column, f"uses a thousand separator; {_NO_SEPARATORS}"),
    ]
    if kind == "integer":
        whens.append(
            f"when {_shape(column, _PLAIN_DECIMAL)} then "
            + _value_reason(column, "is not a whole number")
        )
    generic = _value_reason(column, "is not " + _TYPE_WORDS[kind])
    return f"case {' '.join(whens)} else {generic} end"


def _time_problem(column: LandedColumnSql, kind: str) -> str:
    words = _TYPE_WORDS[kind]
    if column.contract and column.contract.epoch:
        words += f" or Unix epoch {column.contract.epoch}"
    ambiguous = _value_reason(
        column, f"is not {words}: a day/month/year or month/day/year date is ambiguous"
    )
    invalid = _value_reason(column, f"is not {words}: not a valid calendar date or time")
    generic = _value_reason(column, f"is not {words}")
    if kind == "timestamp":
        zone = f"regexp_extract(trim({column.text}), {literal(time_values.NAMED_ZONE)}, 1)"
        named_zone = (
            _value_reason(column, f"is not {words}: it names a time zone (")
            + f" || {literal(chr(39))} || left({zone}, 40) || "
            + literal(
                "'); the contract takes only Z or a numeric offset such as +02:00, "
                "never a zone name or abbreviation"
            )
        )
        whens = [
            f"when {column.parsed}.day != '' and not {time_values.offset_is_valid(column.parsed)} "
            "then "
            + _value_reason(column, f"is not {words}: the offset is not between -14:00 and +14:00"),
            f"when {column.parsed}.day != '' then {invalid}",
            f"when {_shape(column, time_values.NAMED_ZONE)} then {named_zone}",
        ]
    else:
        date_only = f"regexp_extract(trim({column.text}), {literal('^' + time_values.DATE)}, 1)"
        whens = [
            f"when {_shape(column, time_values.DATE)} then {invalid}",
            f"when {_shape(column, time_values.DATE_WITH_TIME)} and try_cast({date_only} as date) "
            "is not null then "
            + _value_reason(
                column,
                f"is a timestamp, not {words}: a date column takes no time of day and no "
                "offset (only a midnight without offset, such as 2025-02-01T00:00:00, is read "
                "as a date)",
            ),
            f"when {_shape(column, time_values.DATE_WITH_TIME)} then {invalid}",
        ]
    whens.append(f"when {_shape(column, _DAY_MONTH_YEAR)} then {ambiguous}")
    return f"case {' '.join(whens)} else {generic} end"


def _type_problem(column: LandedColumnSql, kind: str) -> str:
    """SQL giving why a non-empty value is not of the column's type, else null."""
    if kind in ("decimal", "integer"):
        return _number_problem(column, kind)
    problem = (
        _time_problem(column, kind)
        if kind in ("date", "timestamp")
        else _value_reason(column, "is not " + _TYPE_WORDS[kind])
    )
    return f"case when {column.typed} is null then {problem} end"


def row_problems(entity: Entity, columns: Sequence[LandedColumnSql]) -> list[tuple[str, str]]:
    """(column, SQL giving the reason the row cannot load, else null), first match wins."""
    found = [
        (
            column.name,
            f"case when contains({column.text}, chr(0)) "
            f"then {literal(column.name + ': ' + _NUL_BYTE)} end",
        )
        for column in columns
    ]
    for column in columns:
        contract = column.contract
        if contract is None:
            continue
        checks = []
        if contract.not_empty:
            checks.append(
                f"when nullif(trim({column.text}), '') is null "
                f"then {literal(f'{column.name} is empty but the contract requires a value')}"
            )
        if contract.type != "text":
            checks.append(
                f"when nullif(trim({column.text}), '') is not null "
                f"then {_type_problem(column, contract.type)}"
            )
        if checks:
            found.append((column.name, f"case {' '.join(checks)} end"))
    return found
