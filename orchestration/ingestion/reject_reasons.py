"""SQL that types a landed text value, and SQL that says why a value cannot load.

Each function returns SQL text over a column of the landed file (every value as text). A
row's reason is the first problem found, as "<column>: value '<value>' <what is wrong>".
"""

from __future__ import annotations

from collections.abc import Sequence

from orchestration.ingestion.sql_text import literal
from orchestration.landing_contract import DUCKDB_TYPES, Column, Entity

_TYPE_WORDS = {
    "timestamp": "an ISO-8601 timestamp (YYYY-MM-DD[THH:MM:SS][+HH:MM])",
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
_COMMA_GROUPS = r"[+-]?\d{1,3},\d{3}"  # 1,000: a thousand separator or a decimal comma
_DECIMAL_COMMA = r"[+-]?\d*,\d+"
_THOUSANDS = "[+-]?\\d{1,3}([,.' _\u00a0\u202f]\\d{3})+([.,]\\d+)?"
_ISO_DATE_START = r"\d{4}-\d{1,2}-\d{1,2}([T ].*)?"
_DAY_MONTH_YEAR = r"\d{1,2}[./-]\d{1,2}[./-]\d{2,4}([T ].*)?"


def typed_value(column: Column, source: str) -> str:
    """SQL turning the landed text ``source`` into the column's raw type (null if it fails)."""
    value = f"nullif(trim({source}), '')"
    if column.type == "text":
        return f"nullif({source}, '')"
    if column.type == "timestamp":
        return f"(try_cast({value} as timestamptz) at time zone 'UTC')"
    return f"try_cast({value} as {DUCKDB_TYPES[column.type]})"


def _value_reason(column: Column, source: str, words: str) -> str:
    """SQL text "<column>: value '<value>' <words>" (the value cut at 100 characters)."""
    return (
        f"{literal(column.name + ': value ' + chr(39))} || left({source}, 100) || "
        f"{literal(chr(39) + ' ' + words)}"
    )


def _type_problem(column: Column, source: str) -> str:
    """SQL giving why a non-empty value is not of the column's type, else null."""
    value = f"trim({source})"
    typed = typed_value(column, source)
    generic = _value_reason(column, source, "is not " + _TYPE_WORDS[column.type])

    def shape(pattern: str) -> str:
        return f"regexp_full_match({value}, {literal(pattern)})"

    if column.type in ("decimal", "integer"):
        if column.type == "decimal":
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
            f"when {shape(plain)} and {typed} is null "
            f"then {_value_reason(column, source, out_of_range)}",
            f"when {shape(plain)} then null",
            f"when {shape(_COMMA_GROUPS)} then "
            + _value_reason(
                column,
                source,
                f"has a ',' that is either a thousand separator or a decimal comma; "
                f"{_NO_SEPARATORS}",
            ),
            f"when {shape(_DECIMAL_COMMA)} then "
            + _value_reason(column, source, f"uses a decimal comma; {_NO_SEPARATORS}"),
            f"when {shape(_THOUSANDS)} then "
            + _value_reason(column, source, f"uses a thousand separator; {_NO_SEPARATORS}"),
        ]
        if column.type == "integer":
            whens.append(
                f"when {shape(_PLAIN_DECIMAL)} then "
                + _value_reason(column, source, "is not a whole number")
            )
        return f"case {' '.join(whens)} else {generic} end"
    if column.type in ("date", "timestamp"):
        ambiguous = _value_reason(
            column,
            source,
            f"is not {_TYPE_WORDS[column.type]}: a day/month/year or month/day/year date is "
            "ambiguous",
        )
        invalid = _value_reason(
            column, source, f"is not {_TYPE_WORDS[column.type]}: not a valid calendar date or time"
        )
        return (
            f"case when {shape(_ISO_DATE_START)} and {typed} is not null then null "
            f"when {shape(_ISO_DATE_START)} then {invalid} "
            f"when {shape(_DAY_MONTH_YEAR)} then {ambiguous} else {generic} end"
        )
    return f"case when {typed} is null then {generic} end"


def row_problems(entity: Entity, columns: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """(column, SQL giving the reason the row cannot load, else null), first match wins.

    ``columns`` are (landed name, SQL of its text value) in file order.
    """
    contract = {c.name: c for c in entity.columns}
    found = [
        (
            name,
            f"case when contains({source}, chr(0)) then {literal(name + ': ' + _NUL_BYTE)} end",
        )
        for name, source in columns
    ]
    for name, source in columns:
        column = contract.get(name)
        if column is None:
            continue
        checks = []
        if column.not_empty:
            checks.append(
                f"when nullif(trim({source}), '') is null "
                f"then {literal(f'{name} is empty but the contract requires a value')}"
            )
        if column.type != "text":
            checks.append(
                f"when nullif(trim({source}), '') is not null then {_type_problem(column, source)}"
            )
        if checks:
            found.append((name, f"case {' '.join(checks)} end"))
    return found
