"""Web touchpoints of a lead, and the campaign naming shared by leads and touches.

Before a lead is created: the converting touch (form fill, chat, webinar or outbound e-mail,
with the lead's own source / medium / campaign / keyword), for paid leads the ad click just
before it, and older unrelated touches (organic and direct visits, other ads, newsletters).
Between later milestones (MQL, SQL, deal): nurture touches. 1-8 touches per lead, ids
``T{8i+j+1}`` in time order.
"""

from __future__ import annotations

from itertools import pairwise
from random import Random

from orchestration.sample_data.columns import TOUCHPOINTS
from orchestration.sample_data.names import BLOG_SLUGS, EVENTS, PARTNERS
from orchestration.sample_data.reference import CAMPAIGNS, Acquisition
from orchestration.sample_data.timeutil import DAY, HOUR, Clock
from orchestration.sample_data.writers import Sink

Touch = tuple[int, str, str, str, str, str, str]


class Touchpoints:
    """Draws and writes touchpoints; names campaigns."""

    def __init__(self, clock: Clock, sink: Sink) -> None:
        self.clock = clock
        self.sink = sink

    def _month_tag(self, t: int) -> str:
        s = self.clock.day(t // DAY)
        return f"{s[:4]}_{s[5:7]}"

    def campaign_for(self, acq: Acquisition, rng: Random, t: int) -> tuple[str, str]:
        """(campaign, keyword) of a lead or touch arriving through ``acq`` at ``t``."""
        rnd = rng.random
        kind = acq.kind
        if kind == "paid":
            c = acq.campaign
            assert c is not None
            _group, keywords = c.ad_groups[0 if rnd() < 0.6 else len(c.ad_groups) - 1]
            keyword = keywords[0 if rnd() < 0.65 else len(keywords) - 1]
            return c.utm_campaign, keyword
        if kind == "newsletter":
            return f"newsletter_{self._month_tag(t)}", ""
        if kind == "partner":
            return f"partner_{PARTNERS[int(rnd() * len(PARTNERS))]}", ""
        if kind == "event":
            if rnd() < 0.6:
                return f"webinar_{self._month_tag(t)}", ""
            return f"{EVENTS[int(rnd() * len(EVENTS))]}_{self.clock.day(t // DAY)[:4]}", ""
        if kind == "outbound":
            s = self.clock.day(t // DAY)
            return f"outbound_{s[:4]}_q{(int(s[5:7]) - 1) // 3 + 1}", ""
        return "", ""

    def write(
        self,
        rng: Random,
        i: int,
        lead_id: str,
        acq: Acquisition,
        campaign: str,
        keyword: str,
        milestones: tuple[int, int, int, int],
    ) -> None:
        """Draw and write lead ``i``'s touches: 1-4 before creation, up to 3 between milestones.

        ``milestones``: lead created, became MQL, SQL, got a deal (0 = never).
        """
        rnd = rng.random
        created = milestones[0]
        n_pre = 1 + (rnd() < 0.55) + (rnd() < 0.3) + (rnd() < 0.12)
        kind = acq.kind
        conv_t = created - 5 - int(rnd() * 900)
        if kind == "outbound":
            conv_type, page = "email_open", ""
        elif kind == "event" and campaign.startswith("webinar_"):
            conv_type, page = "webinar", f"/webinars/{campaign}"
        else:
            conv_type = "chat" if rnd() < 0.2 else "form_fill"
            page = ("/demo", "/contact", "/pricing")[int(rnd() * 3)]
        touches: list[Touch] = [
            (conv_t, acq.source, acq.medium, campaign, keyword, conv_type, page)
        ]
        extra = n_pre - 1
        if kind == "paid" and extra > 0:
            t = conv_t - 30 - int(rnd() * 3000)
            touches.append(
                (t, acq.source, acq.medium, campaign, keyword, "ad_click", f"/lp/{campaign}")
            )
            extra -= 1
        for _ in range(extra):
            t = created - HOUR - int(rnd() * 45 * DAY)
            touches.append(self._random_touch(rng, t))
        bounds = [t for t in milestones if t]
        for a, b in pairwise(bounds):
            if rnd() < 0.5 and len(touches) < 8:
                t = a + 1 + int((b - a - 2) * rnd())
                touches.append(self._nurture_touch(rng, t))
        touches.sort(key=lambda x: x[0])
        sink = self.sink
        ts = self.clock.ts
        base = 8 * i + 1
        for j, (t, source, medium, camp, kw, ttype, lp) in enumerate(touches):
            w = sink.window_of(t)
            if w >= 0:
                sink.write(
                    TOUCHPOINTS,
                    w,
                    [f"T{base + j:08d}", lead_id, ts(t), source, medium, camp, kw, ttype, lp],
                )

    def _random_touch(self, rng: Random, t: int) -> Touch:
        """An earlier, unrelated touch before the lead was created."""
        rnd = rng.random
        u = rnd()
        if u < 0.35:
            slug = BLOG_SLUGS[int(rnd() * len(BLOG_SLUGS))]
            return (t, "google", "organic", "", "", "visit", f"/blog/{slug}")
        if u < 0.6:
            return (t, "(direct)", "(none)", "", "", "visit", "/" if rnd() < 0.6 else "/pricing")
        if u < 0.85:
            c = CAMPAIGNS[int(rnd() * len(CAMPAIGNS))]
            keywords = c.ad_groups[int(rnd() * len(c.ad_groups))][1]
            kw = keywords[int(rnd() * len(keywords))]
            return (
                t,
                c.utm_source,
                c.utm_medium,
                c.utm_campaign,
                kw,
                "ad_click",
                f"/lp/{c.utm_campaign}",
            )
        if u < 0.95:
            return (
                t,
                "newsletter",
                "email",
                f"newsletter_{self._month_tag(t)}",
                "",
                "email_open",
                "",
            )
        partner = PARTNERS[int(rnd() * len(PARTNERS))]
        return (t, "partner", "referral", f"partner_{partner}", "", "visit", "/")

    def _nurture_touch(self, rng: Random, t: int) -> Touch:
        """A touch between two milestones of the lead."""
        u = rng.random()
        if u < 0.4:
            return (
                t,
                "newsletter",
                "email",
                f"newsletter_{self._month_tag(t)}",
                "",
                "email_open",
                "",
            )
        if u < 0.6:
            camp = f"webinar_{self._month_tag(t)}"
            return (t, "event", "offline", camp, "", "webinar", f"/webinars/{camp}")
        if u < 0.85:
            return (t, "(direct)", "(none)", "", "", "visit", "/pricing")
        return (t, "(direct)", "(none)", "", "", "chat", "/pricing")
