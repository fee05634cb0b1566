"""``funnel docs`` and ``funnel metrics``: dbt's docs site with the metrics and exposures, and
MetricFlow through the command line, both read-only against a built warehouse."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request

from orchestration.cli import main
from orchestration.semantic.docs_site import DOCS_TARGET
from orchestration.settings import PROJECT_DIR
from tests.conftest import SampleBuild


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_funnel_docs_generates_and_serves_the_site(sample_build: SampleBuild, capsys):
    assert main(["docs", "--file", str(sample_build.warehouse), "--no-serve"]) == 0
    manifest = json.loads((DOCS_TARGET / "manifest.json").read_text())
    assert set(manifest["exposures"]) == {
        "exposure.funnel_warehouse.serving_file",
        "exposure.funnel_warehouse.funnel_report",
    }
    assert "metric.funnel_warehouse.conversion_to_won" in manifest["metrics"]
    report = manifest["exposures"]["exposure.funnel_warehouse.funnel_report"]
    assert "model.funnel_warehouse.fct_funnel" in report["depends_on"]["nodes"]
    catalog = json.loads((DOCS_TARGET / "catalog.json").read_text())
    columns = catalog["nodes"]["model.funnel_warehouse.fct_funnel"]["columns"]
    assert "reached_won_at" in columns
    # the catalog was read from the built warehouse: staging tables are there too
    assert any(key.startswith("model.funnel_warehouse.stg_") for key in catalog["nodes"])

    port = _free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "orchestration.cli",
            "docs",
            "--file",
            str(sample_build.warehouse),
            "--port",
            str(port),
        ],
        cwd=PROJECT_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = ""
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html") as answer:
                    page = answer.read().decode("utf-8", errors="replace")
                break
            except OSError:
                time.sleep(1)
        assert "dbt" in page.lower() and len(page) > 10_000
    finally:
        server.terminate()  # serve_folder stops on SIGTERM as on Ctrl-C
        server.wait(timeout=60)


def test_funnel_metrics_queries_through_mf(sample_build: SampleBuild, capfd):
    serving_file = sample_build.warehouse.parent.parent / "serving" / "funnel.duckdb"
    code = main(
        [
            "metrics",
            "--file",
            str(serving_file),
            "query",
            "--metrics",
            "won_deals",
            "--group-by",
            "metric_time__year",
        ]
    )
    assert code == 0
    printed = capfd.readouterr().out
    expected = sample_build.query(
        "select sum(won_deal_count) from marts.win_rate_by_period where period_grain = 'quarter'"
    )[0][0]
    assert f" {int(expected)}" in printed, printed
