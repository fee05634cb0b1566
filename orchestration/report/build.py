"""Build the report beside the serving file: ``<serving>/report/index.html``.

Written aside and renamed into place, like the serving file, so a reader never sees half a
page. Progress goes to the ``funnel.progress`` logger.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from orchestration.report.data import read_report_data
from orchestration.report.page import render_page

REPORT_FOLDER = "report"
REPORT_NAME = "index.html"

progress_log = logging.getLogger("funnel.progress")


@dataclass(frozen=True)
class Report:
    path: Path
    version: str
    size_bytes: int
    seconds: float


def report_path(serving_dir: Path) -> Path:
    return serving_dir / REPORT_FOLDER / REPORT_NAME


def build_report(serving_dir: Path, serving_file: Path | None = None) -> Report:
    """Read the serving file, render the page, swap it into ``<serving>/report/``."""
    from plotly.offline import get_plotlyjs

    started = time.monotonic()
    source = serving_file or serving_dir / "funnel.duckdb"
    progress_log.info(f"report: reading the marts of {source}")
    payload = read_report_data(source)
    rows = sum(len(data["rows"]) for data in payload["datasets"].values())
    progress_log.info(f"report: {len(payload['datasets'])} tables, {rows:,} rows; rendering")
    page = render_page(payload, get_plotlyjs())
    target = report_path(serving_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    aside = target.with_name(f".{REPORT_NAME}.building")
    aside.write_text(page, encoding="utf-8")
    os.replace(aside, target)
    seconds = time.monotonic() - started
    progress_log.info(f"report: wrote {target} ({len(page) / 1e6:.1f} MB) in {seconds:.1f} s")
    return Report(target, str(payload["version"]), len(page.encode("utf-8")), seconds)
