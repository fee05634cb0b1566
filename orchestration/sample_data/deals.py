"""One deal's life: stage changes, edits (amount, owner, expected close date, deletion), versions.

Funnel shape per deal kind (``lead``: converted from a lead; ``upsell``: a new deal on a won
account; ``sales``: sourced by sales, no lead): created at opportunity or straight at proposal,
opportunity -> proposal, regressions proposal -> opportunity -> proposal, won / lost / stalled,
and lost deals reopened later. Cycles run from two weeks (SMB) to nine months (enterprise).
Quirks on purpose: ~2% of stage changes share their second with the previous change of the deal,
~0.1% are dated a few hours before the deal's ``created_at``, a few deals are deleted.
"""

from __future__ import annotations

import math
from random import Random
from typing import Any, NamedTuple

from orchestration.sample_data.columns import DEAL_STAGE_CHANGES, DEALS
from orchestration.sample_data.companies import Company
from orchestration.sample_data.labels import Labels, vary
from orchestration.sample_data.reference import EUR_PER_UNIT, Owners
from orchestration.sample_data.timeutil import DAY, HOUR, Clock
from orchestration.sample_data.writers import Sink

#: annual contract value in EUR per size class: (minimum, log spread)
_ACV_EUR = ((3_000.0, 1.6), (12_000.0, 1.6), (50_000.0, 1.8))
#: deal cycle (created -> closed) in days per size class
_CYCLE_DAYS = ((14.0, 70.0), (30.0, 150.0), (60.0, 270.0))
_ROUND_TO = {"EUR": 100.0, "USD": 100.0, "PLN": 500.0, "UAH": 5_000.0}
_PRODUCT = ("Starter plan", "Growth plan", "Enterprise plan")
#: kind -> (p created at proposal, p opportunity -> proposal, p proposal -> won)
_KIND = {"lead": (0.1, 0.5, 0.35), "upsell": (0.4, 0.6, 0.55), "sales": (0.1, 0.5, 0.35)}

_STAGE, _AMOUNT, _OWNER, _CLOSE, _DELETED = 0, 1, 2, 3, 4

Event = tuple[int, int, Any]


class DealState(NamedTuple):
    """A deal's fields that change between versions."""

    stage: str
    amount: float
    owner_id: str
    expected_close_day: int
    is_deleted: bool


class DealOutcome:
    """What the rest of the slot needs to know about a deal."""

    __slots__ = ("amount", "currency", "lost_at", "won_at")

    def __init__(self, won_at: int, lost_at: int, amount: float, currency: str) -> None:
        self.won_at = won_at
        self.lost_at = lost_at
        self.amount = amount
        self.currency = currency


class Deals:
    """Simulates deals and writes their stage changes and versions."""

    def __init__(self, labels: Labels, owners: Owners, clock: Clock, sink: Sink) -> None:
        self.labels = labels
        self.owners = owners
        self.clock = clock
        self.sink = sink

    def simulate(
        self,
        rng: Random,
        deal_no: int,
        lead_id: str,
        comp: Company,
        system: str,
        owner: str,
        created: int,
        kind: str,
        currency: str,
        amount: float | None = None,
    ) -> DealOutcome:
        """Simulate deal ``D{deal_no}``; ``amount`` in ``currency`` (drawn from size if None)."""
        rnd = rng.random
        p_start_proposal, p_proposal, p_win = _KIND[kind]
        size_class = comp.size_class
        if amount is None:
            lo, spread = _ACV_EUR[size_class]
            amount = lo * math.exp(spread * rnd()) / EUR_PER_UNIT[currency]
        step = _ROUND_TO[currency]
        amount = max(step, round(amount / step) * step)
        c_lo, c_hi = _CYCLE_DAYS[size_class]
        cycle = int((c_lo + (c_hi - c_lo) * rnd() ** 1.5) * DAY) + int(rnd() * 8 * HOUR)
        close = created + cycle
        first = created - HOUR - int(rnd() * 5 * HOUR) if rnd() < 0.0025 else created
        stage0 = "proposal" if rnd() < p_start_proposal else "opportunity"
        changes: list[tuple[int, str]] = [(first, stage0)]
        edits: list[Event] = []

        at_proposal = stage0 == "proposal"
        t_proposal = created
        if not at_proposal and rnd() < p_proposal:
            same_second = rnd() < 0.1
            t_proposal = created if same_second else created + int(cycle * (0.2 + 0.4 * rnd()))
            changes.append((t_proposal, "proposal"))
            at_proposal = True
        if at_proposal:
            if rnd() < 0.4:
                edits.append((t_proposal, _AMOUNT, self._revise(amount, step, rnd())))
            if rnd() < 0.08:
                t_back = t_proposal + int((close - t_proposal) * (0.2 + 0.3 * rnd()))
                t_again = t_back + int((close - t_back) * (0.3 + 0.4 * rnd()))
                changes += [(t_back, "opportunity"), (t_again, "proposal")]
            r = rnd()
            final = "won" if r < p_win else ("lost" if r < 0.9 else "")
        else:
            final = "lost" if rnd() < 0.85 else ""
        if final:
            changes.append((close, final))
        if final == "lost" and rnd() < 0.08:
            reopened = close + int((20 + 100 * rnd()) * DAY)
            changes.append((reopened, "opportunity" if rnd() < 0.6 else "proposal"))
            close = reopened + int((14 + 106 * rnd()) * DAY)
            final = "won" if rnd() < 0.4 else "lost"
            changes.append((close, final))

        # expected close date: optimistic at first, pushed out while the deal stays open
        expected0 = created // DAY + int(cycle / DAY * (0.5 + 0.5 * rnd()))
        expected = expected0
        open_until = close if final else created + 2 * cycle
        for _ in range(4):
            t_slip = expected * DAY + 9 * HOUR + int(rnd() * 3 * DAY)
            if t_slip >= open_until:
                break
            expected = t_slip // DAY + 14 + int(rnd() * 46)
            edits.append((t_slip, _CLOSE, expected))
        if final:
            edits.append((close, _CLOSE, close // DAY))
        if rnd() < 0.1:
            t_owner = created + int((open_until - created) * (0.2 + 0.6 * rnd()))
            pool = self.owners.pool(self.owners.by_id[owner].team_at(t_owner), t_owner)
            new_owner = pool[int(rnd() * len(pool))]
            if new_owner != owner:
                edits.append((t_owner, _OWNER, new_owner))
        if rnd() < 0.1:
            t_amount = created + int((open_until - created) * rnd())
            edits.append((t_amount, _AMOUNT, self._revise(amount, step, rnd())))
        if rnd() < 0.004:
            deleted_at = created + HOUR + int(rnd() * 10 * DAY)
            changes = [c for c in changes if c[0] <= deleted_at]
            edits = [e for e in edits if e[0] <= deleted_at]
            edits.append((deleted_at, _DELETED, True))
            final = ""

        variant = int(rnd() * 2)
        deal_id = f"D{deal_no:07d}"
        self._write_changes(rng, deal_id, system, variant, changes)
        events: list[Event] = [(t, _STAGE, s) for t, s in changes]
        events.extend(edits)
        events.sort(key=lambda e: e[0])
        state: list[Any] = [stage0, amount, owner, expected0, False]
        versions: list[tuple[int, DealState]] = []
        for t, field, value in events:
            state[field] = value
            t = max(t, created)
            if versions and versions[-1][0] == t:
                versions.pop()
            versions.append((t, DealState(*state)))
        name = f"{comp.name} - {'Seat expansion' if kind == 'upsell' else _PRODUCT[size_class]}"
        self._write_versions(
            rng, deal_id, lead_id, comp, system, variant, name, created, currency, versions
        )
        return DealOutcome(
            close if final == "won" else 0,
            close if final == "lost" else 0,
            versions[-1][1].amount,
            currency,
        )

    @staticmethod
    def _revise(amount: float, step: float, u: float) -> float:
        return max(step, round(amount * (0.8 + 0.45 * u) / step) * step)

    def _write_changes(
        self, rng: Random, deal_id: str, system: str, variant: int, changes: list[tuple[int, str]]
    ) -> None:
        sink = self.sink
        labels = self.labels[system]
        for t, stage in changes:
            r = rng.random()
            w = sink.window_of(t)
            if w >= 0:
                options = labels[stage]
                label = vary(options[variant % len(options)], r)
                sink.write(DEAL_STAGE_CHANGES, w, [deal_id, label, self.clock.ts(t), system])

    def _write_versions(
        self,
        rng: Random,
        deal_id: str,
        lead_id: str,
        comp: Company,
        system: str,
        variant: int,
        name: str,
        created: int,
        currency: str,
        versions: list[tuple[int, DealState]],
    ) -> None:
        """One row per window: the deal as it stood after its last change in that window."""
        sink = self.sink
        chosen: list[tuple[int, int, DealState, float]] = []
        for t, state in versions:
            r = rng.random()
            w = sink.window_of(t)
            if w < 0:
                continue
            if chosen and chosen[-1][0] == w:
                chosen[-1] = (w, t, state, r)
            else:
                chosen.append((w, t, state, r))
        if not chosen:
            return
        labels = self.labels[system]
        ts, day = self.clock.ts, self.clock.day
        created_s = ts(created)
        for w, t, (stage, amount, owner, expected, deleted), r in chosen:
            options = labels[stage]
            label = vary(options[variant % len(options)], r)
            sink.write(
                DEALS,
                w,
                [
                    deal_id, lead_id, comp.account_id, owner, label, f"{amount:.2f}", currency,
                    day(expected), created_s, ts(t), "true" if deleted else "false", name,
                    comp.name, comp.domain, system,
                ],
            )  # fmt: skip
