"""Time helpers: integer UTC seconds and epoch days, fast ISO formatting, seasonality.

The generator keeps every instant as an ``int`` of seconds since 1970-01-01 UTC and every date as
an ``int`` epoch day; strings are produced only for rows that are actually written.
"""

from __future__ import annotations

import calendar
from datetime import date

DAY = 86_400
HOUR = 3_600
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def epoch_day(d: date) -> int:
    """Days since 1970-01-01 of ``d``."""
    return d.toordinal() - _EPOCH_ORDINAL


def day_date(n: int) -> date:
    """The ``date`` of epoch day ``n``."""
    return date.fromordinal(n + _EPOCH_ORDINAL)


def weekday(n: int) -> int:
    """Monday = 0 .. Sunday = 6 of epoch day ``n`` (1970-01-01 was a Thursday)."""
    return (n + 3) % 7


def add_months(n: int, months: int) -> int:
    """Epoch day ``months`` calendar months after day ``n`` (day of month clamped)."""
    d = day_date(n)
    total = d.year * 12 + d.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    dom = min(d.day, calendar.monthrange(year, month)[1])
    return epoch_day(date(year, month, dom))


def month_start(n: int) -> int:
    """Epoch day of the first day of the month containing day ``n``."""
    d = day_date(n)
    return n - d.day + 1


#: "THH:MM" for every minute of a day, and ":SSZ" for every second of a minute
_HOUR_MINUTE: tuple[str, ...] = tuple(f"T{m // 60:02d}:{m % 60:02d}" for m in range(1440))
_SECOND: tuple[str, ...] = tuple(f":{s:02d}Z" for s in range(60))


class Clock:
    """Formats epoch days and seconds as ISO-8601 strings, caching the date part per day.

    The cache holds one string per distinct day formatted, so its size is bounded by the span
    of dates written, never by the number of records.
    """

    __slots__ = ("_days",)

    def __init__(self) -> None:
        self._days: dict[int, str] = {}

    def day(self, n: int) -> str:
        """``YYYY-MM-DD`` of epoch day ``n``."""
        s = self._days.get(n)
        if s is None:
            s = self._days[n] = day_date(n).isoformat()
        return s

    def ts(self, t: int) -> str:
        """``YYYY-MM-DDTHH:MM:SSZ`` of the UTC instant ``t`` (seconds since the epoch)."""
        n, r = divmod(t, DAY)
        s = self._days.get(n)
        if s is None:
            s = self._days[n] = day_date(n).isoformat()
        m, sec = divmod(r, 60)
        return s + _HOUR_MINUTE[m] + _SECOND[sec]


def yearly_factor(n: int) -> float:
    """Business seasonality of day ``n``: busy Q1 and Q4, quiet August and the holidays."""
    d = day_date(n)
    month, dom = d.month, d.day
    if month == 12 and dom >= 20:
        return 0.45
    if month == 1 and dom <= 6:
        return 0.6
    if month == 8:
        return 0.7
    if month == 7:
        return 0.9
    if month in (1, 2, 3, 10, 11):
        return 1.15
    if month == 9:
        return 1.05
    return 1.0


#: Monday .. Sunday
_WEEKLY = (1.0, 1.1, 1.1, 1.0, 0.85, 0.3, 0.25)


def lead_intensity(n: int) -> float:
    """Relative number of leads created on day ``n`` (weekly x yearly seasonality)."""
    return yearly_factor(n) * _WEEKLY[weekday(n)]


def spend_intensity(n: int) -> float:
    """Relative ad spend on day ``n``: seasonal, weekends damped less than leads."""
    wd = weekday(n)
    return yearly_factor(n) * (0.7 if wd >= 5 else 1.0)


#: share of a day's leads created in each UTC hour (business hours, Europe-heavy)
INTRADAY_WEIGHTS: tuple[float, ...] = (
    0.2, 0.15, 0.1, 0.1, 0.15, 0.3, 0.8, 1.6, 2.6, 3.2, 3.4, 3.2,
    2.8, 3.0, 3.2, 3.1, 2.7, 2.0, 1.4, 1.0, 0.8, 0.6, 0.4, 0.3,
)  # fmt: skip


def cumulative(weights: list[float] | tuple[float, ...]) -> list[float]:
    """Normalised cumulative sums ``[0, w0, w0+w1, ..., 1.0]``."""
    total = float(sum(weights))
    out = [0.0]
    acc = 0.0
    for w in weights:
        acc += w
        out.append(acc / total)
    out[-1] = 1.0
    return out
