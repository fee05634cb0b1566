"""The per-lead world: one lead's whole life, simulated from its own RNG.

``World.simulate(i, ...)`` draws everything about "slot" ``i`` from
``Random(f"{seed}:lead:{i}")``: the lead and its touchpoints and status changes, the deal it may
turn into (with an upsell after a win, or a second deal of the same lead months after a loss,
from ``Random(f"{seed}:reengage:{i}")``), the payments customer and subscription of a won deal,
a sales-sourced deal with no lead (1 slot in 50) and a self-serve customer that matches
nothing in the CRM (1 in 500). Every random draw happens whatever the extract window, so a
slot's life is identical in every run; only events inside the window being written are
formatted and written, through the ``Sink``.

Ids are functions of the slot: lead ``L{i+1}``, deals ``D{3i+k+1}``, customers and their
subscriptions ``C{3i+k+1}`` / ``S{3i+k+1}``, touchpoints ``T{8i+j+1}``.
"""

from __future__ import annotations

from bisect import bisect_right
from random import Random

from orchestration.sample_data.billing import Billing
from orchestration.sample_data.columns import LEAD_STATUS_CHANGES, LEADS
from orchestration.sample_data.companies import Companies, Company
from orchestration.sample_data.deals import Deals
from orchestration.sample_data.labels import Labels, vary
from orchestration.sample_data.names import (
    CURRENCY_BY_COUNTRY,
    FIRST_NAMES,
    FREE_MAIL_DOMAINS,
    JOB_TITLES,
    LAST_NAMES,
    PHONE_PREFIX,
    SYSTEM_BY_COUNTRY,
)
from orchestration.sample_data.reference import Acquisition, Owners, acquisitions
from orchestration.sample_data.timeutil import DAY, INTRADAY_WEIGHTS, Clock, cumulative
from orchestration.sample_data.touchpoints import Touchpoints
from orchestration.sample_data.writers import Sink, last_per_window

_INTRADAY_CUM = cumulative(INTRADAY_WEIGHTS)
_TEAM_BY_SIZE = ("SMB", "Mid-Market", "Enterprise")


def _pick(cum: list[float], u: float) -> int:
    """Index chosen by uniform ``u`` from cumulative weights ``cum`` (last = 1.0)."""
    i = bisect_right(cum, u)
    return i if i < len(cum) else len(cum) - 1


class World:
    """Simulates slots and writes the events that fall inside the sink's windows."""

    def __init__(
        self,
        seed: int,
        n_leads: int,
        labels: Labels,
        owners: Owners,
        clock: Clock,
        sink: Sink,
    ) -> None:
        self.seed = seed
        self.labels = labels
        self.owners = owners
        self.clock = clock
        self.sink = sink
        self.deals = Deals(labels, owners, clock, sink)
        self.billing = Billing(seed, clock, sink)
        self.touchpoints = Touchpoints(clock, sink)
        self.companies = Companies(seed, max(20, n_leads * 3 // 4))
        self.acq: tuple[Acquisition, ...] = acquisitions()
        self.acq_cum = cumulative([a.weight for a in self.acq])[1:]
        self.system_by_country = {
            c: (tuple(m), cumulative(tuple(m.values()))[1:]) for c, m in SYSTEM_BY_COUNTRY.items()
        }
        self.currency_by_country = {
            c: (tuple(x for x, _ in m), cumulative(tuple(p for _, p in m))[1:])
            for c, m in CURRENCY_BY_COUNTRY.items()
        }

    # -----------------------------------------------------------------------------------------
    # helpers

    @staticmethod
    def place(cum: list[float], base_day: int, q: float) -> int:
        """Instant at quantile ``q`` of the day intensities ``cum`` (days from ``base_day``)."""
        d = bisect_right(cum, q) - 1
        if d >= len(cum) - 1:
            d = len(cum) - 2
        lo = cum[d]
        width = cum[d + 1] - lo
        f = (q - lo) / width if width > 0 else 0.5
        h = bisect_right(_INTRADAY_CUM, f) - 1
        h = min(max(h, 0), 23)
        hl = _INTRADAY_CUM[h]
        sec = int((f - hl) / (_INTRADAY_CUM[h + 1] - hl) * 3600)
        return (base_day + d) * DAY + h * 3600 + min(max(sec, 0), 3599)

    def _system(self, country: str, u: float) -> str:
        systems, cum = self.system_by_country[country]
        return systems[_pick(cum, u)]

    def _currency(self, country: str, u: float) -> str:
        currencies, cum = self.currency_by_country[country]
        return currencies[_pick(cum, u)]

    def _label(self, system: str, stage: str, variant: int, r: float) -> str:
        options = self.labels[system][stage]
        return vary(options[variant % len(options)], r)

    # -----------------------------------------------------------------------------------------
    # the slot

    def simulate(self, i: int, cum: list[float], base_day: int, pos: int, count: int) -> None:
        """Simulate slot ``i``, created at quantile ``(pos + u) / count`` of ``cum``."""
        rng = Random(f"{self.seed}:lead:{i}")
        rnd = rng.random
        created = self.place(cum, base_day, (pos + rnd()) / count)
        comp = self.companies.get(int(rnd() * self.companies.count))
        system = self._system(comp.country, rnd())
        acq = self.acq[_pick(self.acq_cum, rnd())]
        campaign, keyword = self.touchpoints.campaign_for(acq, rng, created)
        outbound = acq.kind == "outbound"

        # owner and lead status history
        team = "Outbound" if outbound else _TEAM_BY_SIZE[comp.size_class]
        pool = self.owners.pool(team, created)
        owner = pool[int(rnd() * len(pool))]
        unassigned = not outbound and rnd() < 0.08
        t_mql = t_sql = 0
        r = rnd()
        p_skip = 0.25 if outbound else 0.03
        if r < p_skip:
            t_sql = created + 1800 + int(rnd() ** 2 * 10 * DAY)
        elif r < p_skip + 0.6:
            t_mql = created + 600 + int(rnd() ** 2 * 14 * DAY)
            if rnd() < 0.45:
                t_sql = t_mql + DAY + int(rnd() ** 2 * 29 * DAY)
        owner_changes: list[tuple[int, str]] = []
        if unassigned and (t_mql or t_sql):
            owner_changes.append(((t_mql or t_sql) + 60 + int(rnd() * 2 * DAY), owner))
        if rnd() < 0.06:
            t = created + 2 * DAY + int(rnd() * 118 * DAY)
            p2 = self.owners.pool(team, t)
            new = p2[int(rnd() * len(p2))]
            if new != owner:
                owner_changes.append((t, new))
        lead_versions = self._lead_versions(
            created, "" if unassigned else owner, t_mql, t_sql, owner_changes
        )
        t_deal = 0
        if t_sql and rnd() < 0.6:
            t_deal = t_sql + int(rnd() ** 2 * 20 * DAY) + 600

        lead_id = f"L{i + 1:07d}"
        self.touchpoints.write(
            rng, i, lead_id, acq, campaign, keyword, (created, t_mql, t_sql, t_deal)
        )
        lead_email = self._emit_lead(
            rng, lead_id, comp, system, acq, campaign, created, lead_versions
        )
        variant = int(rnd() * 2)
        statuses = [(created, "lead")]
        if t_mql:
            statuses.append((t_mql, "mql"))
        if t_sql:
            statuses.append((t_sql, "sql"))
        sink = self.sink
        for t, stage in statuses:
            r = rnd()
            w = sink.window_of(t)
            if w >= 0:
                label = self._label(system, stage, variant, r)
                sink.write(LEAD_STATUS_CHANGES, w, [lead_id, label, self.clock.ts(t), system])

        # the deal, an upsell after a win, and the customer
        if t_deal:
            deal_owner = self._owner_at(lead_versions, t_deal) or owner
            if rnd() < 0.2:
                p3 = self.owners.pool(_TEAM_BY_SIZE[comp.size_class], t_deal)
                deal_owner = p3[int(rnd() * len(p3))]
            currency = self._currency(comp.country, rnd())
            deal = self.deals.simulate(
                rng, 3 * i + 1, lead_id, comp, system, deal_owner, t_deal, "lead", currency
            )
            if deal.won_at:
                adjustments: list[tuple[int, float]] = []
                if rnd() < 0.25:
                    t_up = deal.won_at + int((60 + rnd() * 180) * DAY)
                    upsell = self.deals.simulate(
                        rng, 3 * i + 2, "", comp, system, deal_owner, t_up, "upsell",
                        currency, deal.amount * (0.2 + 0.4 * rnd()),
                    )  # fmt: skip
                    if upsell.won_at:
                        adjustments.append((upsell.won_at, upsell.amount / 12.0))
                email = self._billing_email(rnd(), comp.domain, lead_email)
                self.billing.customer(
                    3 * i + 1, email, comp.domain, comp.account_id, deal.won_at, deal.amount,
                    currency, adjustments,
                )  # fmt: skip
            elif deal.lost_at:
                self._reengage(i, lead_id, lead_email, comp, system, deal.lost_at, currency)

        # a sales-sourced deal (no lead), and a self-serve customer unknown to the CRM
        if rnd() < 0.02:
            s_comp = self.companies.get(int(rnd() * self.companies.count))
            s_system = self._system(s_comp.country, rnd())
            s_team = "Outbound" if rnd() < 0.7 else _TEAM_BY_SIZE[s_comp.size_class]
            t_s = created + int(rnd() * 3 * DAY)
            s_pool = self.owners.pool(s_team, t_s)
            s_owner = s_pool[int(rnd() * len(s_pool))]
            currency = self._currency(s_comp.country, rnd())
            deal = self.deals.simulate(
                rng, 3 * i + 3, "", s_comp, s_system, s_owner, t_s, "sales", currency
            )
            if deal.won_at:
                email = self._billing_email(rnd(), s_comp.domain, "")
                self.billing.customer(
                    3 * i + 2, email, s_comp.domain, s_comp.account_id, deal.won_at,
                    deal.amount, currency, [],
                )  # fmt: skip
        if rnd() < 0.002:
            t_c = created + int(rnd() * 20 * DAY)
            country = "US" if rnd() < 0.5 else "DE"
            first = FIRST_NAMES[country][int(rnd() * len(FIRST_NAMES[country]))]
            last = LAST_NAMES[country][int(rnd() * len(LAST_NAMES[country]))]
            domain = f"{first}{last}-studio{i + 1}.io"
            annual = 12.0 * (49 + int(rnd() * 250))
            currency = "USD" if country == "US" else "EUR"
            self.billing.customer(
                3 * i + 3, f"{first}@{domain}", domain, None, t_c, annual, currency, []
            )

    def _reengage(
        self,
        i: int,
        lead_id: str,
        lead_email: str,
        comp: Company,
        system: str,
        lost_at: int,
        currency: str,
    ) -> None:
        """A lost lead re-engaged months later: a second deal of the same lead (1 in 8).

        Drawn from its own RNG (``{seed}:reengage:{i}``), so the rest of the slot is the same
        with or without it. Its id is the upsell's (``D{3i+2}``: an upsell follows a win, a
        re-engagement a loss); a win makes the lead's customer ``C{3i+1}``, as a first win does.
        """
        rng = Random(f"{self.seed}:reengage:{i}")
        rnd = rng.random
        if rnd() >= 0.125:
            return
        t_again = lost_at + int((60 + rnd() * 180) * DAY)
        pool = self.owners.pool(_TEAM_BY_SIZE[comp.size_class], t_again)
        owner = pool[int(rnd() * len(pool))]
        deal = self.deals.simulate(
            rng, 3 * i + 2, lead_id, comp, system, owner, t_again, "lead", currency
        )
        if deal.won_at:
            email = self._billing_email(rnd(), comp.domain, lead_email)
            self.billing.customer(
                3 * i + 1, email, comp.domain, comp.account_id, deal.won_at, deal.amount,
                currency, [],
            )  # fmt: skip

    @staticmethod
    def _billing_email(u: float, domain: str, contact: str) -> str:
        """Who receives the invoices: the lead's contact or a finance mailbox."""
        if contact and u < 0.5:
            return contact
        return ("billing@", "accounts@", "finance@")[int(u * 6) % 3] + domain

    # -----------------------------------------------------------------------------------------
    # leads

    @staticmethod
    def _lead_versions(
        created: int, owner0: str, t_mql: int, t_sql: int, owner_changes: list[tuple[int, str]]
    ) -> list[tuple[int, str]]:
        """``(updated_at, owner_id)`` of every version of the lead record."""
        events: list[tuple[int, str | None]] = [(t, None) for t in (t_mql, t_sql) if t]
        events.extend(owner_changes)
        events.sort(key=lambda e: e[0])
        versions = [(created, owner0)]
        current = owner0
        for t, o in events:
            if o is not None:
                current = o
            versions.append((t, current))
        return versions

    @staticmethod
    def _owner_at(versions: list[tuple[int, str]], t: int) -> str:
        current = versions[0][1]
        for vt, o in versions:
            if vt > t:
                break
            current = o
        return current

    def _emit_lead(
        self,
        rng: Random,
        lead_id: str,
        comp: Company,
        system: str,
        acq: Acquisition,
        campaign: str,
        created: int,
        versions: list[tuple[int, str]],
    ) -> str:
        """Draw the contact details, write one lead row per window; return the e-mail."""
        rnd = rng.random
        country = comp.country
        firsts, lasts = FIRST_NAMES[country], LAST_NAMES[country]
        first = firsts[int(rnd() * len(firsts))]
        last = lasts[int(rnd() * len(lasts))]
        r = rnd()
        if r < 0.55:
            local = f"{first}.{last}"
        elif r < 0.75:
            local = f"{first[0]}.{last}"
        elif r < 0.9:
            local = f"{first}{last}"
        else:
            local = first
        if rnd() < 0.03:
            email = f"{first}.{last}{int(rnd() * 100)}@"
            email += FREE_MAIL_DOMAINS[int(rnd() * len(FREE_MAIL_DOMAINS))]
        else:
            email = f"{local}@{comp.domain}"
        phone = ""
        if rnd() < 0.65:
            phone = f"{PHONE_PREFIX[country]}{100_000_000 + int(rnd() * 900_000_000)}"
        job = JOB_TITLES[int(rnd() * len(JOB_TITLES))]
        chosen = last_per_window(self.sink, versions)
        if chosen:
            ts = self.clock.ts
            created_s = ts(created)
            for w, (t, owner) in chosen:
                self.sink.write(
                    LEADS,
                    w,
                    [
                        lead_id, created_s, ts(t), email, comp.domain, acq.source, acq.medium,
                        campaign, owner, phone, comp.name, str(comp.size), comp.industry,
                        country, job, system,
                    ],
                )  # fmt: skip
        return email
