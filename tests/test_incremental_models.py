"""Incremental models give the same warehouse as a build from scratch.

``stg_web__touchpoints`` is incremental: a night re-ranks only the touchpoints with a raw row
loaded since the last build. A night built that way on top of the previous warehouse must give
exactly the marts (and staging rows) of a warehouse built from scratch from the same landing
folder; and an existing table from an older model version must fail with a clear message.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion.ingest import ingest_entity
from orchestration.landing_contract import ENTITY_BY_PATH
from orchestration.rule_fingerprints import current_fingerprints, refresh_changed_rules
from orchestration.sample_data import generate_landing, generate_next_night
from orchestration.settings import PROJECT_DIR
from tests.conftest import materialize_everything, parse_dbt_project, write_landed
from tests.dbt_cli import DBT, run_dbt
from tests.operations import table_hashes

TOUCHPOINTS = "staging.stg_web__touchpoints"


def _touchpoints(warehouse: Path) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(
            f"select * exclude (loaded_at) from {TOUCHPOINTS} order by touchpoint_id"
        ).fetchall()


def _land_touchpoint_changes(landing: Path) -> str:
    """A night file with a new version of a known touchpoint and a new touchpoint."""
    folder = landing / "web" / "touchpoints"
    first = sorted(folder.glob("*.csv"))[0]
    with first.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    changed = {**rows[0], "campaign": "re_landed_campaign", "touch_type": "form_fill"}
    added = {**rows[1], "touchpoint_id": rows[1]["touchpoint_id"] + "-night"}
    with (folder / "touchpoints__night_changes.csv").open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows([changed, added])
    return changed["touchpoint_id"]


def test_a_night_built_incrementally_equals_a_build_from_scratch(tmp_path: Path) -> None:
    landing = tmp_path / "landing"
    generate_landing(landing, leads=300, seed=11)
    nightly = tmp_path / "nightly" / "warehouse" / "funnel.duckdb"
    assert materialize_everything(landing, nightly).success
    with duckdb.connect(str(nightly), read_only=True) as con:
        before = con.execute(f"select count(*) from {TOUCHPOINTS}").fetchone()

    generate_next_night(landing)
    changed_id = _land_touchpoint_changes(landing)
    assert materialize_everything(landing, nightly).success  # the incremental path
    with duckdb.connect(str(nightly), read_only=True) as con:
        loads = con.execute(
            f"select count(distinct loaded_at), count(*) from {TOUCHPOINTS}"
        ).fetchone()
        campaign = con.execute(
            f"select touch_campaign from {TOUCHPOINTS} where touchpoint_id = ?", [changed_id]
        ).fetchone()
    assert loads is not None and before is not None
    assert loads[0] == 2  # rows of both loads are here
    assert loads[1] > before[0]  # at least the night's new touchpoint
    assert campaign == ("re_landed_campaign",)  # the version loaded last wins

    scratch = tmp_path / "scratch" / "warehouse" / "funnel.duckdb"
    assert materialize_everything(landing, scratch).success
    assert _touchpoints(nightly) == _touchpoints(scratch)
    assert table_hashes(nightly) == table_hashes(scratch)


def _dbt_run_touchpoints(warehouse: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return run_dbt(["run", "--select", "stg_web__touchpoints"], warehouse, tmp_path, timeout=300)


def test_an_incremental_table_from_an_older_model_version_asks_for_a_full_refresh(
    tmp_path: Path,
) -> None:
    landing = tmp_path / "landing"
    write_landed(
        landing,
        "web/touchpoints",
        "touchpoints__1.csv",
        "touchpoint_id,lead_id,occurred_at,source,medium\nT1,L1,2025-01-01T05:00:00Z,google,cpc\n",
    )
    warehouse = tmp_path / "warehouse" / "funnel.duckdb"
    ingest_entity(warehouse, landing, ENTITY_BY_PATH["web/touchpoints"])
    assert _dbt_run_touchpoints(warehouse, tmp_path).returncode == 0
    with duckdb.connect(str(warehouse)) as con:  # what an older model version left behind
        con.execute(f"alter table {TOUCHPOINTS} drop column loaded_at")

    again = _dbt_run_touchpoints(warehouse, tmp_path)
    assert again.returncode != 0
    assert "has no column loaded_at" in again.stdout
    assert "funnel build --full-refresh" in again.stdout


# -- issue 17 item 4: nights with a var change and a seed change -------------------------------

PROJECT_FILES = ("dbt_project.yml", "profiles.yml")
PROJECT_FOLDERS = ("models", "macros", "seeds", "data-tests")
#: a label mapping changes: Salesforce deals in "Negotiation/Review" count as opportunity
SEED_CHANGE = (
    "salesforce,deal,Negotiation/Review,proposal",
    "salesforce,deal,Negotiation/Review,opportunity",
)


def _project_copy(root: Path) -> Path:
    """The dbt project (not the Python code) copied, so a test can change a seed."""
    copy = root / "project"
    copy.mkdir(parents=True)
    for name in PROJECT_FILES:
        shutil.copy(PROJECT_DIR / name, copy / name)
    for folder in PROJECT_FOLDERS:
        shutil.copytree(PROJECT_DIR / folder, copy / folder)
    return copy


def _dbt_on(project: Path, args: list[str], warehouse: Path) -> None:
    run = subprocess.run(
        [str(DBT) if DBT.exists() else "dbt", *args, "--project-dir", str(project)],
        cwd=project,
        env={**os.environ, "FUNNEL_WAREHOUSE": str(warehouse)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert run.returncode == 0, run.stdout[-4000:]


def _rule_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.getMessage().startswith("[rules]")]


def test_nights_with_a_var_change_and_a_seed_change_equal_a_full_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Night 1 builds a Salesforce landing before FUNNEL_TOUCHPOINTS_LEAD_SYSTEM is set (the
    touchpoints keep the bare lead ids); night 2 sets it (the var touchpoints_lead_system) and
    lands touchpoint changes; night 3 changes a label mapping of crm_stage_labels. After each
    rule change the incremental models are rebuilt whole by the same build, so the marts equal
    a full rebuild from the same raw rows (with the new rules). Without the mechanism night 2
    re-ranks only the new touchpoints and yesterday's keep their unprefixed lead ids."""
    progress = logging.getLogger("funnel.progress")
    progress.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="funnel.progress")
    monkeypatch.delenv("FUNNEL_TOUCHPOINTS_LEAD_SYSTEM", raising=False)
    landing = tmp_path / "landing"
    generate_landing(landing, leads=200, seed=11, formats=["salesforce"])
    nightly = tmp_path / "nightly" / "warehouse" / "funnel.duckdb"
    try:
        assert materialize_everything(landing, nightly).success
        assert _rule_lines(caplog) == []  # a first build: nothing to refresh

        # night 2: the var is set, a few touchpoints land
        monkeypatch.setenv("FUNNEL_TOUCHPOINTS_LEAD_SYSTEM", "salesforce")
        _land_touchpoint_changes(landing)
        assert materialize_everything(landing, nightly).success
        lines = _rule_lines(caplog)
    finally:
        progress.removeHandler(caplog.handler)
    incremental = ", ".join(sorted(_incremental_models()))
    assert f"[rules] var touchpoints_lead_system changed: full refresh of {incremental}" in lines
    with duckdb.connect(str(nightly), read_only=True) as con:
        bare = con.execute(
            f"select count(*) from {TOUCHPOINTS} where lead_id not like 'salesforce:%'"
        ).fetchone()
    assert bare == (0,)  # the touchpoints loaded on night 1 too

    # night 3: a label mapping changes (in a copy of the dbt project), no new data
    project = _project_copy(tmp_path)
    labels = project / "seeds" / "crm_stage_labels.csv"
    old, new = SEED_CHANGE
    assert old in labels.read_text(encoding="utf-8")
    labels.write_text(labels.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    _dbt_on(project, ["parse"], nightly)
    manifest = project / "target" / "manifest.json"
    refresh = refresh_changed_rules(manifest, project, nightly, "duckdb")
    with_seed = sorted(
        name
        for name, rules in current_fingerprints(json.loads(manifest.read_text()), project).items()
        if "seed:crm_stage_labels" in rules
    )
    assert sorted(refresh.dropped) == with_seed  # exactly the models that read the seed
    _dbt_on(project, ["build", "--exclude-resource-type", "unit_test"], nightly)

    # a full rebuild of the same raw rows with the same rules
    scratch = tmp_path / "scratch" / "warehouse" / "funnel.duckdb"
    scratch.parent.mkdir(parents=True)
    shutil.copyfile(nightly, scratch)
    _dbt_on(project, ["build", "--full-refresh", "--exclude-resource-type", "unit_test"], scratch)
    assert _touchpoints(nightly) == _touchpoints(scratch)
    assert table_hashes(nightly) == table_hashes(scratch)


def _incremental_models() -> list[str]:
    from orchestration.rule_fingerprints import incremental_models

    manifest = json.loads(parse_dbt_project().read_text(encoding="utf-8"))
    return [node["name"] for node in incremental_models(manifest).values()]
