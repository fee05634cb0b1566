"""The company (account) universe: company ``k`` is a pure function of (seed, k).

Nothing is stored per company: leads pick a company index at random and its attributes are
recomputed from a 64-bit hash whenever needed, so memory does not grow with the number of
companies. Domains are unique per company (the name parts are a bijection of ``k``).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from orchestration.sample_data.names import (
    COMPANY_PREFIXES,
    COMPANY_SUFFIXES,
    COMPANY_THIRD,
    COUNTRY_WEIGHTS,
    INDUSTRIES,
    LEGAL_FORM,
    TLD,
)
from orchestration.sample_data.timeutil import cumulative

_MASK = (1 << 64) - 1

#: company size classes: 0 = SMB (< 50 employees), 1 = mid-market (< 1000), 2 = enterprise
SMB, MID_MARKET, ENTERPRISE = 0, 1, 2


def mix64(x: int) -> int:
    """SplitMix64 finaliser: a well-mixed 64-bit hash of ``x``."""
    x = (x + 0x9E3779B97F4A7C15) & _MASK
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _MASK
    return x ^ (x >> 31)


class Company(NamedTuple):
    """A B2B account."""

    account_id: str
    name: str
    domain: str
    country: str
    size: int
    size_class: int
    industry: str


_COUNTRIES = tuple(COUNTRY_WEIGHTS)
_COUNTRY_CUM = cumulative(tuple(COUNTRY_WEIGHTS.values()))[1:]
_NP, _NS, _NT = len(COMPANY_PREFIXES), len(COMPANY_SUFFIXES), len(COMPANY_THIRD)


class Companies:
    """Company ``k`` for ``k`` in ``range(count)``."""

    def __init__(self, seed: int, count: int) -> None:
        self.count = count
        key = mix64(seed * 7919 + 17)
        self._key = key
        # affine permutations of the name parts (multipliers coprime with the list lengths)
        self._p_off = key % _NP
        self._s_off = (key >> 8) % _NS

    def get(self, k: int) -> Company:
        """Attributes of company ``k``."""
        h = mix64(self._key ^ k)
        u1 = (h & 0xFFFFFF) / 16777216.0
        u2 = ((h >> 24) & 0xFFFFFF) / 16777216.0
        u3 = ((h >> 48) & 0xFFFF) / 65536.0
        country = _COUNTRIES[min(bisect_right(_COUNTRY_CUM, u1), len(_COUNTRIES) - 1)]
        if u2 < 0.55:
            size_class, size = SMB, 5 + int(45 * u3 * u3)
        elif u2 < 0.85:
            size_class, size = MID_MARKET, 50 + int(950 * u3 * u3)
        else:
            size_class, size = ENTERPRISE, 1000 + int(19000 * u3 * u3 * u3)
        industry = INDUSTRIES[mix64(h) % len(INDUSTRIES)]
        prefix = COMPANY_PREFIXES[(k % _NP * 5 + self._p_off) % _NP]
        suffix = COMPANY_SUFFIXES[((k // _NP) % _NS * 7 + self._s_off) % _NS]
        c = k // (_NP * _NS)
        base = prefix + suffix
        display = base.capitalize()
        if c == 0:
            slug = base
        elif c <= _NT:
            third = COMPANY_THIRD[c - 1]
            slug = base + third
            display = f"{display} {third.capitalize()}"
        else:
            slug = f"{base}{c}"
            display = f"{display} {c}"
        return Company(
            f"A{k + 1:06d}",
            f"{display} {LEGAL_FORM[country]}",
            slug + TLD[country],
            country,
            size,
            size_class,
            industry,
        )
