"""The report page: one self-contained HTML file (Plotly's JavaScript inlined, no CDN).

Plotly (MIT, maintained by Plotly Inc., the ``plotly`` PyPI package ships plotly.js) draws
every chart type the report needs (funnel, heatmap, waterfall, grouped and stacked bars, two
axes) and its JavaScript is inlined from the package, so the page opens offline from disk.
The data is embedded as JSON and ``report.js`` re-aggregates it in the browser when a filter
(period, channel, owner) changes.
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

REPORT_JS = Path(__file__).with_name("report.js")

SECTIONS: list[tuple[str, str, str, list[str]]] = [
    # (title, what it shows and which filters apply, filters, chart ids)
    (
        "Funnel",
        "Entities that reached each stage; step and cumulative conversion (cohort view).",
        "period (cohort month), channel, owner",
        ["chart-funnel", "chart-conversion"],
    ),
    (
        "Cohort conversion by month",
        "Cumulative conversion from lead to each stage, per cohort month.",
        "period, channel, owner",
        ["chart-cohorts"],
    ),
    (
        "Drop-off and stalled",
        "Lost and stalled entities by the furthest stage they reached.",
        "period (cohort month), channel, owner",
        ["chart-drop-off"],
    ),
    (
        "Time in stage",
        "Completed spells: mean, median, p90 days; open spells: median age.",
        "none (the mart has no period, channel or owner)",
        ["chart-durations"],
    ),
    (
        "Win rate, sales cycle, deal size",
        "Deals closed per month: win rate by count and amount; "
        "days deal created -> won and average won amount.",
        "period (close month), channel, owner",
        ["chart-win-rate", "chart-sales-cycle"],
    ),
    (
        "Pipeline coverage",
        "Quota against open pipeline expected to close in the quota period, "
        "as of its start; raw and weighted.",
        "period (quota period), owner",
        ["chart-coverage"],
    ),
    (
        "Attributed revenue by channel",
        "Won revenue credited to channels, per attribution model.",
        "period (won month), channel",
        ["chart-attribution"],
    ),
    (
        "Spend, CPL, CAC, ROI by channel",
        "CAC is marketing-only (no sales cost is loaded); ROI "
        "uses the attribution model named above.",
        "period, channel",
        ["chart-spend", "chart-cpl", "chart-cac", "chart-roi"],
    ),
    (
        "MRR movements and churn",
        "Starting MRR, its movements, ending MRR over the period; "
        "customer and revenue churn per month.",
        "period",
        ["chart-mrr", "chart-churn"],
    ),
]

KPIS: list[tuple[str, str]] = [
    ("kpi-entities", "funnel entities"),
    ("kpi-conversion-to-won", "conversion to won"),
    ("kpi-win-rate", "win rate"),
    ("kpi-sales-cycle", "sales cycle"),
    ("kpi-stalled", "stalled now"),
    ("kpi-net-new-mrr", "net new MRR"),
]

STYLE = """
body { font-family: system-ui, sans-serif; margin: 0 24px 40px; color: #1f2933; }
header { position: sticky; top: 0; background: #fff; padding: 12px 0;
         border-bottom: 1px solid #ddd; z-index: 10; }
h1 { font-size: 22px; margin: 4px 0 8px; }
label { margin-right: 14px; font-size: 14px; }
.kpis { display: flex; gap: 14px; flex-wrap: wrap; margin: 16px 0; }
.kpi { border: 1px solid #ddd; border-radius: 6px; padding: 8px 14px; min-width: 130px; }
.kpi b { display: block; font-size: 22px; }
.kpi span { font-size: 12px; color: #52606d; }
section { margin-top: 26px; }
h2 { font-size: 18px; margin-bottom: 2px; }
.note { font-size: 13px; color: #52606d; margin: 2px 0 6px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 10px; }
.chart { min-height: 340px; }
#report-errors { color: #b00; white-space: pre-wrap; }
"""


def _script_json(payload: dict[str, Any]) -> str:
    # "</" must not appear inside a <script> element
    return json.dumps(payload, separators=(",", ":")).replace("</", "<\\/")


def render_page(payload: dict[str, Any], plotly_js: str) -> str:
    """The whole HTML page."""
    kpis = "".join(
        f'<div class="kpi"><b id="{kpi_id}">-</b><span>{html.escape(label)}</span></div>'
        for kpi_id, label in KPIS
    )
    sections = "".join(
        f"<section><h2>{html.escape(title)}</h2><p class='note'>{html.escape(note)} "
        f"<i>Filters: {html.escape(filters)}.</i></p><div class='charts'>"
        + "".join(f'<div class="chart" id="{chart_id}"></div>' for chart_id in charts)
        + "</div></section>"
        for title, note, filters, charts in SECTIONS
    )
    version = html.escape(str(payload.get("version", "")))
    model = html.escape(str(payload.get("roi_attribution_model", "")))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Funnel report {version}</title><style>{STYLE}</style>
<script>{plotly_js}</script>
</head><body>
<header><h1>Funnel report</h1>
<label>from <select id="filter-from"></select></label>
<label>to <select id="filter-to"></select></label>
<label>channel <select id="filter-channel"></select></label>
<label>owner <select id="filter-owner"></select></label>
<span class="note">serving file version {version}; ROI attribution model {model}</span>
</header>
<pre id="report-errors" hidden></pre>
<div class="kpis">{kpis}</div>
{sections}
<script type="application/json" id="report-data">{_script_json(payload)}</script>
<script>{REPORT_JS.read_text(encoding="utf-8")}</script>
</body></html>
"""
