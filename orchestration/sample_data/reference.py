"""Global reference data: owners and teams, ad campaigns, daily ad spend, FX rates, quotas.

Each comes from its own seeded RNG, independent of the leads, so any day can be produced on its
own (spend, quotas) or by replaying a short walk from the start (FX).
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from random import Random

from orchestration.sample_data.names import OWNER_NAMES
from orchestration.sample_data.timeutil import DAY, HOUR, add_months, spend_intensity, yearly_factor

REPORTING_CURRENCY = "EUR"
CURRENCIES: tuple[str, ...] = ("EUR", "USD", "PLN", "UAH")
#: rough EUR value of one unit, the centre of the FX walk and the scale of amounts
EUR_PER_UNIT: dict[str, float] = {"EUR": 1.0, "USD": 0.92, "PLN": 0.232, "UAH": 0.0222}

TEAMS: tuple[str, ...] = ("SMB", "Mid-Market", "Enterprise", "Outbound")
_TEAM_SIZES: tuple[int, ...] = (6, 5, 4, 5)
#: share of won revenue each team is expected to close (sizes quotas)
_TEAM_BOOKING_SHARE: dict[str, float] = {
    "SMB": 0.22,
    "Mid-Market": 0.33,
    "Enterprise": 0.35,
    "Outbound": 0.10,
}


# ---------------------------------------------------------------------------------------------
# Owners


@dataclass(frozen=True)
class Owner:
    """A sales rep; ``team`` until ``change_ts``, ``new_team`` from then on (if it changes)."""

    owner_id: str
    name: str
    team: str
    since_ts: int
    change_ts: int | None = None
    new_team: str | None = None

    def team_at(self, ts: int) -> str:
        """Team of the owner at instant ``ts``."""
        if self.change_ts is not None and self.new_team is not None and ts >= self.change_ts:
            return self.new_team
        return self.team

    def versions(self) -> list[tuple[int, str]]:
        """``(updated_at, team)`` for every version of the owner record."""
        out = [(self.since_ts, self.team)]
        if self.change_ts is not None and self.new_team is not None:
            out.append((self.change_ts, self.new_team))
        return out


class Owners:
    """The ~20 owners, and which owners are in each team at a given instant."""

    def __init__(self, seed: int, start_day: int, days: int) -> None:
        rng = Random(f"{seed}:owners")
        names = list(OWNER_NAMES)
        rng.shuffle(names)
        owners: list[Owner] = []
        n = 0
        for team, size in zip(TEAMS, _TEAM_SIZES, strict=True):
            for _ in range(size):
                since = (start_day - rng.randint(30, 900)) * DAY + 9 * HOUR + rng.randint(0, 7200)
                owners.append(Owner(f"O{n + 1:03d}", names[n], team, since))
                n += 1
        # two reps move teams during the history: a promotion and an SDR becoming an AE
        moves = (("SMB", "Mid-Market", 0.3, 0.6), ("Outbound", "SMB", 0.6, 0.9))
        for old, new, lo, hi in moves:
            candidates = [k for k, o in enumerate(owners) if o.team == old]
            k = candidates[rng.randrange(len(candidates))]
            day = start_day + int(days * (lo + (hi - lo) * rng.random()))
            o = owners[k]
            owners[k] = Owner(o.owner_id, o.name, o.team, o.since_ts, day * DAY + 10 * HOUR, new)
        self.owners: tuple[Owner, ...] = tuple(owners)
        self.by_id = {o.owner_id: o for o in owners}
        self._breaks = sorted(o.change_ts for o in owners if o.change_ts is not None)
        self._pools = [self._pools_at(t) for t in [self.owners[0].since_ts - DAY, *self._breaks]]

    def _pools_at(self, ts: int) -> dict[str, tuple[str, ...]]:
        return {
            team: tuple(o.owner_id for o in self.owners if o.team_at(ts) == team) for team in TEAMS
        }

    def pool(self, team: str, ts: int) -> tuple[str, ...]:
        """Owner ids in ``team`` at instant ``ts``."""
        return self._pools[bisect_right(self._breaks, ts)][team]


# ---------------------------------------------------------------------------------------------
# Campaigns and acquisition channels


@dataclass(frozen=True)
class Campaign:
    """An ad campaign and the UTM tags its clicks carry."""

    platform: str
    account_id: str
    currency: str
    campaign_id: str
    campaign_name: str
    utm_source: str
    utm_medium: str
    utm_campaign: str
    #: (ad group, keywords); social campaigns have one empty keyword per ad group
    ad_groups: tuple[tuple[str, tuple[str, ...]], ...]
    #: share of the platform's leads
    share: float
    cpl_eur: float
    cpc_eur: float
    ctr: float


def _search(
    platform: str,
    account: str,
    currency: str,
    cid: str,
    name: str,
    source: str,
    utm: str,
    groups: tuple[tuple[str, tuple[str, ...]], ...],
    share: float,
    cpl: float,
    cpc: float,
    ctr: float,
) -> Campaign:
    return Campaign(
        platform, account, currency, cid, name, source, "cpc", utm, groups, share, cpl, cpc, ctr
    )


def _social(
    platform: str,
    account: str,
    currency: str,
    cid: str,
    name: str,
    source: str,
    utm: str,
    groups: tuple[str, ...],
    share: float,
    cpl: float,
    cpc: float,
) -> Campaign:
    return Campaign(
        platform,
        account,
        currency,
        cid,
        name,
        source,
        "paid_social",
        utm,
        tuple((g, ("",)) for g in groups),
        share,
        cpl,
        cpc,
        0.006,
    )


CAMPAIGNS: tuple[Campaign, ...] = (
    _search("google_ads", "123-456-7890", "EUR", "1001001", "Brand | Search", "google",
            "brand_search", (("brand", ("funnelhub", "funnelhub pricing")),
                             ("brand_misspellings", ("funelhub", "funnel hub"))),
            0.35, 45.0, 0.9, 0.16),
    _search("google_ads", "123-456-7890", "EUR", "1001002", "CRM Analytics | Search", "google",
            "crm_analytics", (("crm_reporting", ("crm reporting tool", "sales funnel analytics")),
                              ("pipeline", ("pipeline analytics", "sales pipeline dashboard"))),
            0.45, 115.0, 3.6, 0.055),
    _search("google_ads", "123-456-7890", "EUR", "1001003", "Competitors | Search", "google",
            "competitors", (("hubspot_alternative", ("hubspot reporting alternative",
                                                     "hubspot analytics")),
                            ("salesforce_alternative", ("salesforce alternative smb",
                                                        "salesforce reports tool"))),
            0.20, 160.0, 5.2, 0.04),
    _search("bing_ads", "B-778-899", "USD", "2002001", "Bing Brand", "bing", "bing_brand",
            (("brand", ("funnelhub", "funnelhub login")),
             ("brand_generic", ("funnel analytics software", "b2b funnel report"))),
            0.45, 60.0, 1.1, 0.09),
    _search("bing_ads", "B-778-899", "USD", "2002002", "Bing Generic", "bing", "bing_generic",
            (("crm_reporting", ("crm dashboard", "sales reporting software")),
             ("revops", ("revops analytics", "revenue operations tool"))),
            0.55, 95.0, 2.6, 0.045),
    _social("linkedin_ads", "LI-515001", "USD", "3003001", "ABM Enterprise", "linkedin",
            "abm_enterprise", ("it_directors", "revops_leaders"), 0.45, 240.0, 8.5),
    _social("linkedin_ads", "LI-515001", "USD", "3003002", "Lead Gen Mid-Market", "linkedin",
            "leadgen_midmarket", ("sales_managers", "founders"), 0.55, 190.0, 7.0),
    _social("meta_ads", "act_99887766", "PLN", "4004001", "Retargeting", "facebook",
            "retargeting", ("site_visitors_30d", "pricing_viewers"), 0.5, 55.0, 0.9),
    _social("meta_ads", "act_99887766", "PLN", "4004002", "Lookalike SMB", "facebook",
            "lookalike_smb", ("lal_1pct", "lal_3pct"), 0.5, 75.0, 0.7),
)  # fmt: skip


@dataclass(frozen=True)
class Acquisition:
    """How a lead arrived: source / medium, a campaign kind and, for paid ones, the campaign."""

    source: str
    medium: str
    kind: str  # paid | organic | direct | newsletter | partner | event | outbound
    weight: float
    campaign: Campaign | None = None


#: (source, medium, kind, share of leads); paid channels are split over their campaigns
_CHANNELS: tuple[tuple[str, str, str, float], ...] = (
    ("google", "cpc", "paid", 0.16),
    ("bing", "cpc", "paid", 0.04),
    ("linkedin", "paid_social", "paid", 0.08),
    ("facebook", "paid_social", "paid", 0.07),
    ("google", "organic", "organic", 0.19),
    ("(direct)", "(none)", "direct", 0.11),
    ("newsletter", "email", "newsletter", 0.08),
    ("partner", "referral", "partner", 0.07),
    ("event", "offline", "event", 0.07),
    ("outbound", "sales", "outbound", 0.13),
)


def acquisitions() -> tuple[Acquisition, ...]:
    """Every way a lead can arrive, with its share of leads (shares sum to 1)."""
    out: list[Acquisition] = []
    for source, medium, kind, weight in _CHANNELS:
        if kind == "paid":
            for c in CAMPAIGNS:
                if c.utm_source == source and c.utm_medium == medium:
                    out.append(Acquisition(source, medium, kind, weight * c.share, c))
        else:
            out.append(Acquisition(source, medium, kind, weight))
    return tuple(out)


# ---------------------------------------------------------------------------------------------
# Ad spend


def spend_rows(seed: int, day: int, day_str: str, leads_per_day: float) -> list[list[str]]:
    """Rows of ``ads/spend`` for one day: platform x campaign x ad group x keyword (28 rows).

    Spend is sized so that cost per lead stays near each campaign's CPL whatever the number of
    leads generated, with seasonality and daily noise.
    """
    rng = Random(f"{seed}:spend:{day}")
    rnd = rng.random
    season = spend_intensity(day)
    rows: list[list[str]] = []
    for acq in acquisitions():
        c = acq.campaign
        if c is None:
            continue
        budget_eur = leads_per_day * acq.weight * c.cpl_eur * season
        unit = EUR_PER_UNIT[c.currency]
        n_groups = len(c.ad_groups)
        for gi, (group, keywords) in enumerate(c.ad_groups):
            g_share = 0.6 if gi == 0 else 0.4 / (n_groups - 1)
            for ki, keyword in enumerate(keywords):
                k_share = 1.0 if len(keywords) == 1 else (0.65 if ki == 0 else 0.35)
                spend_eur = budget_eur * g_share * k_share * (0.75 + 0.5 * rnd())
                spend = round(spend_eur / unit, 2)
                cpc = c.cpc_eur * (0.85 + 0.3 * rnd())
                clicks = int(spend_eur / cpc + rnd())
                impressions = int(clicks / (c.ctr * (0.8 + 0.4 * rnd())) + 20 * rnd())
                rows.append(
                    [
                        day_str,
                        c.platform,
                        c.account_id,
                        c.campaign_id,
                        c.campaign_name,
                        group,
                        keyword,
                        c.utm_source,
                        c.utm_medium,
                        c.utm_campaign,
                        f"{spend:.2f}",
                        c.currency,
                        str(impressions),
                        str(clicks),
                    ]
                )
    return rows


# ---------------------------------------------------------------------------------------------
# FX rates


_FX_SIGMA: dict[str, float] = {"USD": 0.0035, "PLN": 0.003, "UAH": 0.005}


def fx_rates(
    seed: int, start_day: int, first_day: int, end_day: int
) -> Iterator[tuple[int, str, str]]:
    """``(day, currency, rate_to_reporting)`` for days ``[first_day, end_day)``.

    A mean-reverting random walk per currency, replayed from ``start_day`` so that any range
    of days gives the same rates; the reporting currency (EUR) is always 1.
    """
    rng = Random(f"{seed}:fx")
    gauss = rng.gauss
    level = dict.fromkeys(_FX_SIGMA, 0.0)
    for day in range(start_day, end_day):
        if day > start_day:
            for cur, sigma in _FX_SIGMA.items():
                level[cur] = 0.985 * level[cur] + gauss(0.0, sigma)
        if day >= first_day:
            yield day, REPORTING_CURRENCY, "1.00000000"
            for cur in _FX_SIGMA:
                yield day, cur, f"{EUR_PER_UNIT[cur] * math.exp(level[cur]):.8f}"


# ---------------------------------------------------------------------------------------------
# Quotas

#: expected won contract value per lead, in EUR (sizes quotas against the pipeline)
_BOOKINGS_PER_LEAD_EUR = 900.0


def quota_rows(
    seed: int, owners: Owners, month_day: int, leads_per_day: float, day_str: Callable[[int], str]
) -> list[list[str]]:
    """``crm/quotas`` rows for the calendar month starting on epoch day ``month_day``.

    ``day_str`` formats an epoch day. Amounts are EUR, sized from the expected bookings of the
    owner's team (as of the month start) so that pipeline coverage comes out around 2-4x.
    """
    end_day = add_months(month_day, 1) - 1
    month_bookings = leads_per_day * 30.4 * _BOOKINGS_PER_LEAD_EUR * yearly_factor(month_day + 14)
    rows: list[list[str]] = []
    at = month_day * DAY
    for o in owners.owners:
        team = o.team_at(at)
        size = len(owners.pool(team, at))
        rng = Random(f"{seed}:quota:{o.owner_id}")
        personal = 0.85 + 0.3 * rng.random()
        base = month_bookings * _TEAM_BOOKING_SHARE[team] / max(size, 1) * personal * 1.1
        amount = max(1000.0, round(base / 100.0) * 100.0)
        rows.append([o.owner_id, day_str(month_day), day_str(end_day), f"{amount:.2f}", "EUR"])
    return rows
