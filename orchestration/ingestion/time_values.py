"""SQL that reads landed timestamps and dates, each value on its own.

A timestamp is ISO-8601: a date, optionally a time (``T`` or a space between), optionally
``Z`` or a numeric offset (``+HH:MM``, ``+HHMM``, ``+HH``, between -14:00 and +14:00); without
an offset it is UTC. Anything else, a named zone or abbreviation included
(``America/New_York``, ``EST``, ``UTC``, ``GMT+2``), is not a timestamp.

The parse is arithmetic on the value's own parts: the local part is cast to a plain
``timestamp`` and the offset subtracted. DuckDB's ``timestamptz`` cast is not used: with ICU
it accepts zone names and, after one, reads the following values of the same vector in that
zone (one ``America/New_York`` row shifted every other row of its file).

A date is ``YYYY-MM-DD``; a timestamp at midnight without offset (``2025-02-01T00:00:00``,
what some exporters write for a date) is read as its date. A time of day or any offset in a
date column is refused: keeping the local date of ``2025-02-01T23:00:00-05:00`` would be
silently wrong in UTC.
"""

from __future__ import annotations

from orchestration.ingestion.sql_text import literal

#: groups: date, time (may be empty), offset (may be empty)
TIMESTAMP = (
    r"(\d{4}-\d{1,2}-\d{1,2})"
    r"(?:[Tt ](\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)([Zz]|[+-]\d{2}(?::?\d{2})?)?)?"
)
#: group: the date
DATE = r"(\d{4}-\d{1,2}-\d{1,2})(?:[Tt ]0?0:00(?::00(?:\.0{1,9})?)?)?"
#: a date and a time followed by a zone name or abbreviation (group: the zone text)
NAMED_ZONE = r"\d{4}-\d{1,2}-\d{1,2}[Tt ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*([A-Za-z].*)"
#: a date followed by a time and/or an offset
DATE_WITH_TIME = r"\d{4}-\d{1,2}-\d{1,2}[Tt ].*"
#: the largest offset in use (UTC+14:00, Line Islands), in minutes
MAX_OFFSET_MINUTES = 14 * 60


def parsed_timestamp(text: str) -> str:
    """SQL: the value's parts as a struct (day, clock, zone); day is '' when it does not
    have the shape. Computed once per value, in its own column."""
    return (
        f"regexp_extract(trim({text}), {literal('^' + TIMESTAMP + '$')}, ['day', 'clock', 'zone'])"
    )


def _offset_minutes(offset: str) -> str:
    digits = f"replace(substr({offset}, 2), ':', '')"
    return (
        f"(case when {offset} in ('', 'Z', 'z') then 0 else "
        f"(case when left({offset}, 1) = '-' then -1 else 1 end) * "
        f"(cast(left({digits}, 2) as integer) * 60 "
        f"+ coalesce(cast(nullif(substr({digits}, 3), '') as integer), 0)) end)"
    )


def offset_is_valid(parsed: str) -> str:
    """SQL: the offset of a parsed value is a real one (at most 14:00, minutes below 60)."""
    digits = f"replace(substr({parsed}.zone, 2), ':', '')"
    return (
        f"(abs({_offset_minutes(parsed + '.zone')}) <= {MAX_OFFSET_MINUTES} "
        f"and coalesce(cast(nullif(substr({digits}, 3), '') as integer), 0) < 60)"
    )


def timestamp_value(parsed: str) -> str:
    """SQL: the UTC timestamp of a parsed value (null when it is not one)."""
    local = (
        f"try_cast({parsed}.day || ' ' || coalesce(nullif({parsed}.clock, ''), '00:00:00') "
        "as timestamp)"
    )
    return (
        f"(case when {parsed}.day != '' and {offset_is_valid(parsed)} "
        f"then {local} - to_minutes({_offset_minutes(parsed + '.zone')}) end)"
    )


#: a Unix epoch number: whole, or with a fraction
EPOCH = r"[+-]?\d{1,16}(\.\d+)?"
_EPOCH_MICROS = {"seconds": 1_000_000, "milliseconds": 1_000}


def epoch_value(text: str, unit: str) -> str:
    """SQL: the UTC timestamp of a Unix epoch number in ``unit`` (null when it is not one).

    Declared per native column (``Column.epoch``): an all-digit value is never ISO-8601, so
    a column takes both shapes without ambiguity."""
    micros = _EPOCH_MICROS[unit]
    return (
        f"(case when regexp_full_match(trim({text}), {literal(EPOCH)}) then "
        f"try(make_timestamp(cast(round(cast(trim({text}) as double) * {micros}) as bigint))) "
        "end)"
    )


def date_value(text: str) -> str:
    """SQL: the date of a landed value (null when it is not one)."""
    day = f"regexp_extract(trim({text}), {literal('^' + DATE + '$')}, 1)"
    return f"try_cast(nullif({day}, '') as date)"
