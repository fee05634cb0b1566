"""The two entry points: a history of delta extracts, and one more night after it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from orchestration.sample_data.columns import (
    ENTITY_PATHS,
    FX_RATES,
    OWNERS,
    QUOTAS,
    SPEND,
)
from orchestration.sample_data.labels import load_labels
from orchestration.sample_data.reference import Owners, fx_rates, quota_rows, spend_rows
from orchestration.sample_data.state import GeneratorState
from orchestration.sample_data.timeutil import (
    DAY,
    Clock,
    add_months,
    cumulative,
    day_date,
    lead_intensity,
    month_start,
)
from orchestration.sample_data.world import World
from orchestration.sample_data.writers import Sink, Window, last_per_window

Progress = Callable[[str], None]


@dataclass(frozen=True)
class GenerationSummary:
    """What one generator call wrote."""

    #: landing files written, relative to the landing folder, sorted
    files: list[Path]
    #: rows written per entity path (``"crm/leads"`` -> rows), every entity listed
    rows: dict[str, int]
    #: first day covered
    window_start: date
    #: last day covered (inclusive)
    window_end: date
    #: the extract windows as (first day, last day), inclusive
    windows: list[tuple[date, date]] = field(default_factory=list)
    #: leads created in the covered days
    leads_created: int = 0
    #: the state file, relative to the landing folder
    state_file: Path = Path("_generator_state.json")


def generate_landing(
    output_dir: Path,
    *,
    leads: int = 2000,
    seed: int = 42,
    start_date: date = date(2025, 1, 1),
    days: int = 365,
    extracts: int = 4,
    progress: Progress | None = None,
    formats: list[str] | None = None,
) -> GenerationSummary:
    """Write ``days`` of history from ``start_date`` as ``extracts`` delta extracts.

    ``formats`` (``orchestration.sample_data.formats``): the shapes to write the same world in,
    e.g. ``["salesforce"]``; the canonical files are then generated in a temp folder and
    converted (the summary counts the canonical files). None or ``["canonical"]``: canonical.

    Every entity of the landing contract gets one CSV per window in which it has records
    (``<output_dir>/<source>/<entity>/<entity>__<first>_<last>.csv``, days inclusive), plus
    ``_generator_state.json`` for ``generate_next_night``. Same arguments, same bytes.
    Files of the same name are overwritten; other files in ``output_dir`` are left alone.
    """
    if formats and formats != ["canonical"]:
        from orchestration.sample_data.formats import convert

        with tempfile.TemporaryDirectory(prefix="funnel-generate-") as folder:
            summary = generate_landing(
                Path(folder),
                leads=leads,
                seed=seed,
                start_date=start_date,
                days=days,
                extracts=extracts,
                progress=progress,
            )
            convert(Path(folder), output_dir, formats)
        return summary
    if leads < 1:
        raise ValueError("leads must be at least 1")
    if days < 1:
        raise ValueError("days must be at least 1")
    if not 1 <= extracts <= days:
        raise ValueError("extracts must be between 1 and days")
    state = GeneratorState(seed, leads, start_date, days, extracts, 0)
    say = progress or (lambda _message: None)
    output_dir.mkdir(parents=True, exist_ok=True)
    start = state.start_day
    windows = [
        Window(start + k * days // extracts, start + (k + 1) * days // extracts)
        for k in range(extracts)
    ]
    sink = Sink(output_dir, windows, clamp_early=True)
    say(f"generating {leads} leads over {days} days from {start_date} in {extracts} extracts")
    world = _write_reference(state, sink, start, start + days)
    cum = _history_cumulative(state)
    step = max(1, leads // 10)
    for i in range(leads):
        world.simulate(i, cum, start, i, leads)
        if (i + 1) % step == 0 or i + 1 == leads:
            say(f"leads {i + 1}/{leads}")
    state.save(output_dir)
    return _summary(sink, windows, leads)


def generate_next_night(
    landing_dir: Path, *, progress: Progress | None = None
) -> GenerationSummary:
    """Write one more extract covering the single day after the last day generated so far.

    It holds the leads created that day (the history's average daily rate) and every change
    that day to existing records (statuses, deals, invoices, ...), plus that day's ad spend and
    FX rates, quotas when a month starts and owners when one changed. Entities with no change
    that day get no file. Updates ``_generator_state.json``.
    """
    state = GeneratorState.load(landing_dir)
    say = progress or (lambda _message: None)
    night = state.nights_generated
    day = state.night_day(night)
    windows = [Window(day, day + 1)]
    sink = Sink(landing_dir, windows, clamp_early=False)
    say(f"generating night {night + 1}: {day_date(day)}")
    world = _write_reference(state, sink, day, day + 1)
    cum = _history_cumulative(state)
    start = state.start_day
    for i in range(state.leads):
        world.simulate(i, cum, start, i, state.leads)
    one_day = [0.0, 1.0]
    created = 0
    for k in range(night + 1):
        first, count = state.night_leads(k)
        for j in range(count):
            world.simulate(first + j, one_day, state.night_day(k), j, count)
        created = count
    state.with_nights(night + 1).save(landing_dir)
    return _summary(sink, windows, created)


def _history_cumulative(state: GeneratorState) -> list[float]:
    start = state.start_day
    return cumulative([lead_intensity(start + d) for d in range(state.days)])


def _write_reference(state: GeneratorState, sink: Sink, first_day: int, end_day: int) -> World:
    """Write owners, quotas, FX rates and ad spend for days ``[first_day, end_day)``."""
    clock = Clock()
    owners = Owners(state.seed, state.start_day, state.days)
    leads_per_day = state.leads / state.days
    for o in owners.owners:
        for w, (t, team) in last_per_window(sink, o.versions()):
            sink.write(OWNERS, w, [o.owner_id, o.name, team, clock.ts(t)])
    month = month_start(first_day)
    while month < end_day:
        delivered = max(month, state.start_day)
        if first_day <= delivered < end_day:
            w = sink.window_of(delivered * DAY)
            for row in quota_rows(state.seed, owners, month, leads_per_day, clock.day):
                sink.write(QUOTAS, w, row)
        month = add_months(month, 1)
    for d, currency, rate in fx_rates(state.seed, state.start_day, first_day, end_day):
        sink.write(FX_RATES, sink.window_of(d * DAY), [clock.day(d), currency, rate])
    for d in range(first_day, end_day):
        w = sink.window_of(d * DAY)
        for row in spend_rows(state.seed, d, clock.day(d), leads_per_day):
            sink.write(SPEND, w, row)
    return World(state.seed, state.leads, load_labels(), owners, clock, sink)


def _summary(sink: Sink, windows: list[Window], leads_created: int) -> GenerationSummary:
    files = sink.close()
    return GenerationSummary(
        files=files,
        rows=dict(zip(ENTITY_PATHS, sink.rows, strict=True)),
        window_start=day_date(windows[0].start_day),
        window_end=day_date(windows[-1].end_day - 1),
        windows=[(day_date(w.start_day), day_date(w.end_day - 1)) for w in windows],
        leads_created=leads_created,
    )
