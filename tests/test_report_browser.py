"""The HTML report in a real browser (headless Chromium): every chart drawn, no console
error, and figures on the page equal to the marts of the serving file they came from.

Screenshots of each rendered page are kept in ``artifacts/report-screenshots/`` (git-ignored).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orchestration.report.page import KPIS, SECTIONS
from orchestration.settings import PROJECT_DIR
from tests.browser import Rendered, render, serve_folder
from tests.build_files import open_read_only
from tests.conftest import SampleBuild

SCREENSHOTS = PROJECT_DIR / "artifacts" / "report-screenshots"
CHART_IDS = [chart for _, _, _, charts in SECTIONS for chart in charts]


def _serving(sample_build: SampleBuild) -> Path:
    return sample_build.warehouse.parent.parent / "serving"


def _one(serving_file: Path, sql: str, params: list | None = None) -> float:
    with open_read_only(serving_file) as con:
        row = con.execute(sql, params or []).fetchone()
    assert row is not None
    return float(row[0])


def _text(rendered: Rendered, element_id: str) -> str:
    found = re.search(rf'id="{element_id}"[^>]*>([^<]*)<', rendered.dom)
    assert found, f"{element_id} not on the page"
    return found.group(1)


def _number(text: str) -> float:
    return float(text.replace(",", "").replace("%", "").replace(" days", ""))


def _points(rendered: Rendered) -> dict[str, int]:
    return {
        match.group(1): int(match.group(2))
        for match in re.finditer(r'id="(chart-[a-z-]+)"[^>]*data-points="(\d+)"', rendered.dom)
    }


@pytest.fixture(scope="module")
def pages(sample_build: SampleBuild) -> dict[str, tuple[str, Rendered]]:
    """The report unfiltered and filtered on the busiest channel and owner, rendered."""
    serving = _serving(sample_build)
    assert (serving / "report" / "index.html").exists(), "the build published no report"
    with open_read_only(serving / "funnel.duckdb") as con:
        row = con.execute(
            "select channel, owner_name from marts.fct_funnel where channel is not null "
            "and owner_name is not null group by 1, 2 order by count(*) desc limit 1"
        ).fetchone()
    assert row is not None
    channel, owner = str(row[0]), str(row[1])
    views = {"all": "", "filtered": f"#channel={channel}&owner={owner}"}
    rendered: dict[str, tuple[str, Rendered]] = {}
    with serve_folder(serving / "report") as base:
        for name, fragment in views.items():
            page = render(f"{base}/index.html{fragment}", SCREENSHOTS / f"report-{name}.png")
            rendered[name] = (fragment, page)
    return rendered


def test_every_page_renders_without_console_errors(pages: dict[str, tuple[str, Rendered]]):
    for name, (_, page) in pages.items():
        assert page.console == [], f"{name}: console messages {page.console}"
        assert 'data-rendered="true"' in page.dom, f"{name}: the report script did not finish"
        assert re.search(r'id="report-errors"[^>]*hidden', page.dom), f"{name}: errors shown"
        assert (SCREENSHOTS / f"report-{name}.png").stat().st_size > 10_000


def test_every_chart_is_drawn_with_data(pages: dict[str, tuple[str, Rendered]]):
    _, page = pages["all"]
    points = _points(page)
    assert sorted(points) == sorted(CHART_IDS)
    empty = [chart for chart, count in points.items() if count == 0]
    assert empty == [], f"empty charts: {empty}"
    # plotly drew an SVG for every chart
    assert page.dom.count('class="main-svg"') >= len(CHART_IDS)
    for kpi_id, _ in KPIS:
        assert _text(page, kpi_id) not in ("", "-"), kpi_id


def test_figures_equal_their_marts(sample_build: SampleBuild, pages):
    serving_file = _serving(sample_build) / "funnel.duckdb"
    _, page = pages["all"]
    assert _number(_text(page, "kpi-entities")) == _one(
        serving_file, "select count(*) from marts.fct_funnel"
    )
    win_rate = _one(
        serving_file,
        "select 100.0 * sum(won_deal_count) / sum(won_deal_count + lost_deal_count) "
        "from marts.win_rate_by_period where period_grain = 'quarter'",
    )
    assert _number(_text(page, "kpi-win-rate")) == pytest.approx(win_rate, abs=0.05)
    net_new = _one(serving_file, "select sum(net_new_mrr) from marts.mrr_movements_by_month")
    assert _number(_text(page, "kpi-net-new-mrr")) == pytest.approx(net_new, abs=0.006)
    stalled = _one(serving_file, "select count(*) from marts.stalled_entities")
    assert _number(_text(page, "kpi-stalled")) == stalled


def test_filters_change_the_figures_to_the_slice(sample_build: SampleBuild, pages):
    serving_file = _serving(sample_build) / "funnel.duckdb"
    fragment, page = pages["filtered"]
    channel, owner = (part.split("=", 1)[1] for part in fragment.lstrip("#").split("&"))
    expected = _one(
        serving_file,
        "select count(*) from marts.fct_funnel where channel = ? and owner_name = ?",
        [channel, owner],
    )
    assert 0 < expected < _one(serving_file, "select count(*) from marts.fct_funnel")
    assert _number(_text(page, "kpi-entities")) == expected
