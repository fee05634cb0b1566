"""Incremental models give the same warehouse as a build from scratch.

``stg_web__touchpoints`` is incremental: a night re-ranks only the touchpoints with a raw row
loaded since the last build; ``int_attribution_touches``, ``fct_attribution_credits``, the
stage chain (``int_funnel_stage_events``, ``int_stage_transitions``, ``int_stage_spell_bounds``,
``int_funnel_milestones``, ``int_funnel_entity_facts``) and the lead scoring chain
(``int_marketing_lead_attributes``, ``int_marketing_lead_rule_matches``,
``int_marketing_lead_points``, ``lead_scores``) are incremental by entity (replace_entities). A
night built that way on top of the previous warehouse must give exactly the marts (and staging
rows) of a warehouse built from scratch from the same landing folder, also across nights that
change a var and a seed (the rule fingerprints rebuild the incremental models whole); and an
existing table from an older model version must fail with a clear message.
"""

from __future__ import annotations

import csv
import json
import logging
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from orchestration.ingestion.ingest import ingest_entity
from orchestration.landing_contract import ENTITY_BY_PATH
from orchestration.rule_fingerprints import current_fingerprints, refresh_changed_rules
from orchestration.sample_data import generate_landing, generate_next_night
from orchestration.settings import PROJECT_DIR
from orchestration.warehouse import copy_warehouse
from tests.build_files import open_read_only, open_read_write
from tests.conftest import materialize_everything, write_landed
from tests.dbt_cli import DBT, run_dbt
from tests.operations import table_hashes

TOUCHPOINTS = "staging.stg_web__touchpoints"


def _touchpoints(warehouse: Path) -> list[tuple]:
    with open_read_only(warehouse) as con:
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


class TwoNights:
    """One 300-lead world built as two nights (touchpoint changes and attribution changes in the
    second) and, from the same landing folder, once from scratch. The tests using it run in
    file order: each compares the tables it checks with the build from scratch first, then
    alters the nightly warehouse by hand, only where the tests after it do not compare."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.landing = root / "landing"
        self.nightly = root / "nightly" / "warehouse" / "funnel.duckdb"
        self.scratch = root / "scratch" / "warehouse" / "funnel.duckdb"
        generate_landing(self.landing, leads=300, seed=17)
        assert materialize_everything(self.landing, self.nightly).success
        with open_read_only(self.nightly) as con:
            self.touchpoints_before = con.execute(f"select count(*) from {TOUCHPOINTS}").fetchone()

        generate_next_night(self.landing)
        self.changed_touchpoint = _land_touchpoint_changes(self.landing)
        changes = _land_attribution_changes(self.landing, self.nightly)
        self.lost_lead, self.receiving_lead, self.deal_lead = changes
        self.moved_deal, self.deal_giver, self.deal_taker = _land_deal_move(
            self.landing, self.nightly, avoid=changes
        )
        self.first_rebuilt_at = _rebuilt_at(self.nightly)
        # what the first night built, read before the second night replaces it
        self.stages_before = {
            "lost_touches": _entity_stages(self.nightly, ATTRIBUTION_TOUCHES, self.lost_lead),
            "deal_credits": _entity_stages(self.nightly, CREDITS, self.deal_lead),
        }
        assert materialize_everything(self.landing, self.nightly).success  # incremental
        assert materialize_everything(self.landing, self.scratch).success


def todays_as_of_date() -> str:
    """Today's UTC date, for FUNNEL_AS_OF_DATE: builds of one test compared with each other must
    measure ages to the same day, even when the test runs across midnight."""
    return datetime.now(UTC).date().isoformat()


@pytest.fixture(scope="module")
def two_nights(tmp_path_factory: pytest.TempPathFactory) -> TwoNights:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FUNNEL_AS_OF_DATE", todays_as_of_date())
        return TwoNights(tmp_path_factory.mktemp("two_nights"))


def test_a_night_built_incrementally_equals_a_build_from_scratch(two_nights: TwoNights) -> None:
    nightly = two_nights.nightly
    with open_read_only(nightly) as con:
        loads = con.execute(
            f"select count(distinct loaded_at), count(*) from {TOUCHPOINTS}"
        ).fetchone()
        campaign = con.execute(
            f"select touch_campaign from {TOUCHPOINTS} where touchpoint_id = ?",
            [two_nights.changed_touchpoint],
        ).fetchone()
    before = two_nights.touchpoints_before
    assert loads is not None and before is not None
    assert loads[0] == 2  # rows of both loads are here
    assert loads[1] > before[0]  # at least the night's new touchpoint
    assert campaign == ("re_landed_campaign",)  # the version loaded last wins

    assert _touchpoints(nightly) == _touchpoints(two_nights.scratch)
    assert table_hashes(nightly) == table_hashes(two_nights.scratch)
    for table in INCREMENTAL_STAGING:
        assert _rows_but_load_time(nightly, table) == _rows_but_load_time(two_nights.scratch, table)
        with open_read_only(nightly) as con:
            # the kept versions come from every load that brought rows (the small world's
            # night brings deals and stage changes, no leads)
            kept = con.execute(f"select count(distinct loaded_at) from {table}").fetchone()
            raw_table = RAW_OF.get(table, "raw." + table.split(".stg_")[1])
            loads = con.execute(f"select count(distinct _loaded_at) from {raw_table}").fetchone()
        assert kept == loads, table


#: the CRM staging models kept by key from night to night (delete+insert, a loaded_at watermark)
INCREMENTAL_STAGING = (
    "staging.stg_crm__leads",
    "staging.stg_crm__lead_status_changes",
    "staging.stg_crm__deals",
    "staging.stg_crm__deal_stage_changes",
    "staging.stg_crm__deal_versions",
)
#: the raw table each incremental staging model keeps versions of
RAW_OF = {"staging.stg_crm__deal_versions": "raw.crm__deals"}


def _rows_but_load_time(warehouse: Path, table: str) -> list[tuple]:
    with open_read_only(warehouse) as con:
        return con.execute(f"select * exclude (loaded_at) from {table} order by all").fetchall()


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
    touchpoints keep the bare lead ids, and the build fails on the check that touchpoints find
    their CRM's leads); night 2 sets it (the var touchpoints_lead_system) and
    lands touchpoint changes; night 3 changes a label mapping of crm_stage_labels. After each
    rule change the incremental models are rebuilt whole by the same build, so the marts equal
    a full rebuild from the same raw rows (with the new rules). Without the mechanism night 2
    re-ranks only the new touchpoints and yesterday's keep their unprefixed lead ids."""
    progress = logging.getLogger("funnel.progress")
    progress.addHandler(caplog.handler)
    caplog.set_level(logging.INFO, logger="funnel.progress")
    monkeypatch.delenv("FUNNEL_TOUCHPOINTS_LEAD_SYSTEM", raising=False)
    monkeypatch.setenv("FUNNEL_AS_OF_DATE", todays_as_of_date())
    landing = tmp_path / "landing"
    generate_landing(landing, leads=200, seed=11, formats=["salesforce"])
    nightly = tmp_path / "nightly" / "warehouse" / "funnel.duckdb"
    try:
        # the unset var is caught: assert_touchpoints_use_their_crms_lead_ids fails night 1, after
        # stg_web__touchpoints was built with the bare lead ids (the state night 2 must replace)
        assert not materialize_everything(landing, nightly).success
        with open_read_only(nightly) as con:
            [(bare_first,)] = con.execute(
                f"select count(*) from {TOUCHPOINTS} where lead_id not like 'salesforce:%'"
            ).fetchall()
        assert bare_first > 0
        assert _rule_lines(caplog) == []  # a first build: nothing to refresh

        # night 2: the var is set, a few touchpoints land
        monkeypatch.setenv("FUNNEL_TOUCHPOINTS_LEAD_SYSTEM", "salesforce")
        _land_touchpoint_changes(landing)
        assert materialize_everything(landing, nightly).success
        lines = _rule_lines(caplog)
    finally:
        progress.removeHandler(caplog.handler)
    # night 1 failed before the attribution models were built (they are downstream of the
    # failing test), so the incremental staging models and the stage chain (with
    # fct_stage_transitions, built before the failing test) were the tables to be refreshed
    # (the attribution models are created whole on night 2 either way)
    cause = "[rules] var touchpoints_lead_system changed: full refresh of "
    refreshed = {
        tuple(line.removeprefix(cause).split(", ")) for line in lines if line.startswith(cause)
    }
    assert refreshed == {
        (
            "fct_stage_transitions",
            "int_funnel_entity_facts",
            "int_funnel_milestones",
            "int_funnel_stage_events",
            "int_stage_spell_bounds",
            "int_stage_transitions",
            *sorted(table.split(".")[1] for table in INCREMENTAL_STAGING),
            "stg_web__touchpoints",
        )
    }
    with open_read_only(nightly) as con:
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
    copy_warehouse(nightly, scratch)
    _dbt_on(project, ["build", "--full-refresh", "--exclude-resource-type", "unit_test"], scratch)
    assert _touchpoints(nightly) == _touchpoints(scratch)
    assert table_hashes(nightly) == table_hashes(scratch)


# -- the attribution chain: int_attribution_touches and fct_attribution_credits (by entity) ------

ATTRIBUTION_TOUCHES = "intermediate.int_attribution_touches"
CREDITS = "marts.fct_attribution_credits"


def _attribution_touches(warehouse: Path) -> list[tuple]:
    """Every row of int_attribution_touches but its load time (a build from scratch loads later)."""
    with open_read_only(warehouse) as con:
        return con.execute(
            f"select * exclude (touch_loaded_at) from {ATTRIBUTION_TOUCHES} "
            "order by funnel_entity_type, funnel_entity_id, stage_key, touchpoint_id"
        ).fetchall()


def _landed_rows(folder: Path) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for path in sorted(folder.glob("*.csv")):
        with path.open(newline="", encoding="utf-8") as handle:
            rows += list(csv.DictReader(handle))
    return rows


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _land_attribution_changes(landing: Path, warehouse: Path) -> tuple[str, str, str]:
    """A night file moving the only touchpoint of a credited lead to another credited lead (the
    first lead loses every row), and a deletion of the only deal of a lead credited at the
    opportunity stage (it loses that milestone's rows). Returns (lead left without touches,
    lead receiving the touchpoint, lead whose deal is deleted)."""
    with open_read_only(warehouse) as con:
        single = con.execute(
            f"""
            select t.lead_id, min(t.touchpoint_id)
            from staging.stg_web__touchpoints as t
            where t.lead_id in (select funnel_entity_id from {ATTRIBUTION_TOUCHES})
            group by t.lead_id
            having count(*) = 1
            order by t.lead_id
            limit 1
            """
        ).fetchone()
        assert single is not None, "no credited lead with a single touchpoint"
        lost_lead, moved_touchpoint = single
        receiving = con.execute(
            f"select min(funnel_entity_id) from {ATTRIBUTION_TOUCHES} where funnel_entity_id <> ?",
            [lost_lead],
        ).fetchone()
        assert receiving is not None and receiving[0] is not None
        deal = con.execute(
            f"""
            select d.lead_id, min(d.deal_id)
            from staging.stg_crm__deals as d
            where d.lead_id in (
                select funnel_entity_id from {ATTRIBUTION_TOUCHES} where stage_key = 'opportunity'
            )
                and d.lead_id not in (?, ?)
                and not d.is_deleted
            group by d.lead_id
            having count(*) = 1
            order by d.lead_id
            limit 1
            """,
            [lost_lead, receiving[0]],
        ).fetchone()
        assert deal is not None, "no credited opportunity lead with a single deal"
        deal_lead, deal_id = deal

    landed = _landed_rows(landing / "web" / "touchpoints")
    touchpoints = [r for r in landed if r["touchpoint_id"] == moved_touchpoint]
    assert touchpoints, moved_touchpoint
    _write_rows(
        landing / "web" / "touchpoints" / "touchpoints__night_move.csv",
        [{**touchpoints[-1], "lead_id": receiving[0]}],
    )
    versions = sorted(
        (r for r in _landed_rows(landing / "crm" / "deals") if r["deal_id"] == deal_id),
        key=lambda r: r["updated_at"],
    )
    assert versions, deal_id
    _write_rows(
        landing / "crm" / "deals" / "deals__night_delete.csv",
        [{**versions[-1], "is_deleted": "true", "updated_at": _one_second_later(versions[-1])}],
    )
    return lost_lead, receiving[0], deal_lead


def _one_second_later(row: dict[str, str]) -> str:
    updated = datetime.fromisoformat(row["updated_at"])
    return (updated + timedelta(seconds=1)).isoformat()


def _entity_stages(warehouse: Path, table: str, entity_id: str) -> set[str]:
    with open_read_only(warehouse) as con:
        rows = con.execute(
            f"select distinct stage_key from {table} where funnel_entity_id = ?", [entity_id]
        ).fetchall()
    return {r[0] for r in rows}


def test_attribution_models_built_by_entity_equal_a_build_from_scratch(
    two_nights: TwoNights,
) -> None:
    nightly = two_nights.nightly
    lost_lead, receiving_lead, deal_lead = (
        two_nights.lost_lead,
        two_nights.receiving_lead,
        two_nights.deal_lead,
    )
    assert two_nights.stages_before["lost_touches"]
    assert "opportunity" in two_nights.stages_before["deal_credits"]

    assert _entity_stages(nightly, ATTRIBUTION_TOUCHES, lost_lead) == set()
    assert _entity_stages(nightly, CREDITS, lost_lead) == set()
    assert _entity_stages(nightly, ATTRIBUTION_TOUCHES, receiving_lead)
    assert "opportunity" not in _entity_stages(nightly, ATTRIBUTION_TOUCHES, deal_lead)
    assert "opportunity" not in _entity_stages(nightly, CREDITS, deal_lead)

    scratch = two_nights.scratch
    assert _attribution_touches(nightly) == _attribution_touches(scratch)
    assert table_hashes(nightly) == table_hashes(scratch)

    # Nothing new: the models keep the rows of entities whose inputs did not change (a row
    # altered by hand stays), and recompute an entity whose input rows differ from its rows.
    with open_read_write(nightly) as con:
        kept, recomputed = (
            r[0]
            for r in con.execute(
                f"select distinct funnel_entity_id from {ATTRIBUTION_TOUCHES} "
                "where funnel_entity_id not in (?, ?, ?) order by 1 limit 2",
                [lost_lead, receiving_lead, deal_lead],
            ).fetchall()
        )
        con.execute(
            f"update {ATTRIBUTION_TOUCHES} set channel = 'altered' where funnel_entity_id = ?",
            [recomputed],
        )
        con.execute(
            f"update {CREDITS} set credit = 0 "
            "where funnel_entity_id = ? and attribution_model = 'position_based'",
            [kept],
        )
    run = run_dbt(
        ["run", "--select", "int_attribution_touches", "fct_attribution_credits"],
        nightly,
        two_nights.root / "rerun",
        timeout=600,
    )
    assert run.returncode == 0, run.stdout
    with open_read_only(nightly) as con:
        altered = con.execute(
            f"select distinct channel from {ATTRIBUTION_TOUCHES} where funnel_entity_id = ?",
            [recomputed],
        ).fetchall()
        credited = con.execute(
            f"select distinct channel from {CREDITS} where funnel_entity_id = ?", [recomputed]
        ).fetchall()
        zeroed = con.execute(
            f"select count(*), count(*) filter (where credit = 0) from {CREDITS} "
            "where funnel_entity_id = ? and attribution_model = 'position_based'",
            [kept],
        ).fetchone()
    assert altered == [("altered",)]  # int_attribution_touches kept an unchanged lead's rows
    assert credited == [("altered",)]  # the credits followed their changed input rows
    assert zeroed is not None and zeroed[0] > 0 and zeroed[0] == zeroed[1]  # and kept the rest


# -- the lead scoring chain, by lead -------------------------------------------------------------

#: each incremental model of the lead scoring chain and its bookkeeping column
LEAD_SCORING = {
    "intermediate.int_marketing_lead_attributes": "rebuilt_at",
    "intermediate.int_marketing_lead_rule_matches": "attributes_rebuilt_at",
    "intermediate.int_marketing_lead_points": "attributes_rebuilt_at",
}
ATTRIBUTES, MATCHES, POINTS = LEAD_SCORING


def _rows_but(warehouse: Path, table: str, column: str) -> list[tuple]:
    with open_read_only(warehouse) as con:
        return con.execute(f"select * exclude ({column}) from {table} order by all").fetchall()


def _by_lead(warehouse: Path, sql: str, *params: object) -> dict[str, object]:
    """``sql`` (selecting lead_id and one value) run with ``params``, as a dict."""
    with open_read_only(warehouse) as con:
        return dict(con.execute(sql, list(params)).fetchall())


def test_the_lead_scoring_chain_built_by_lead_equals_a_build_from_scratch(
    two_nights: TwoNights,
) -> None:
    nightly, scratch = two_nights.nightly, two_nights.scratch
    for table, bookkeeping in LEAD_SCORING.items():
        assert _rows_but(nightly, table, bookkeeping) == _rows_but(scratch, table, bookkeeping)

    # the night rewrote the attributes of the leads whose attributes changed, not the others
    with open_read_only(nightly) as con:
        stamps = con.execute(
            f"select rebuilt_at, count(*) from {ATTRIBUTES} group by 1 order by 1"
        ).fetchall()
        lost = con.execute(
            f"select touch_count, rebuilt_at from {ATTRIBUTES} where lead_id = ?",
            [two_nights.lost_lead],
        ).fetchone()
    assert len(stamps) == 2, stamps  # the first night's and the second's
    (first_stamp, kept_count), (night_stamp, rewritten_count) = stamps
    assert 0 < rewritten_count < kept_count, stamps
    assert lost is not None and lost[0] == 0  # its only touchpoint moved to another lead

    # Nothing new: a lead whose computed attributes differ from its row here (altered by hand)
    # is rewritten, and its matches and points follow; a lead whose attributes are unchanged
    # keeps its matches and points (altered by hand: they stay); a lead held here that is no
    # longer a lead leaves all three tables.
    with open_read_write(nightly) as con:
        kept, recomputed = (
            r[0]
            for r in con.execute(
                f"select lead_id from {POINTS} where matched_rule_count > 0 "
                "and attributes_rebuilt_at = ? order by lead_id limit 2",
                [first_stamp],
            ).fetchall()
        )
        con.execute(f"update {ATTRIBUTES} set industry = 'altered' where lead_id = ?", [recomputed])
        for lead in (kept, recomputed):
            con.execute(f"update {MATCHES} set points = -999 where lead_id = ?", [lead])
            con.execute(f"update {POINTS} set lead_score = -999 where lead_id = ?", [lead])
        for table, bookkeeping in LEAD_SCORING.items():
            con.execute(
                f"insert into {table} by name select 'ghost' as lead_id, "
                f"(select max({bookkeeping}) from {table}) as {bookkeeping}"
                + (", 'a_rule' as rule_id, 1 as points" if table == MATCHES else "")
            )
        # lead_scores compares every lead's row with its row here: an altered row is written
        # again, a lead that is gone leaves
        row = con.execute(
            "select max(lead_id) from marts.lead_scores where lead_id not in (?, ?)",
            [kept, recomputed],
        ).fetchone()
        assert row is not None and row[0] is not None
        banded = row[0]
        con.execute(
            "update marts.lead_scores set score_band = 'by hand' where lead_id = ?", [banded]
        )
        con.execute(
            "insert into marts.lead_scores by name select 'ghost' as lead_id, 1 as lead_score"
        )
    run = run_dbt(
        [
            "run",
            "--select",
            "int_marketing_lead_attributes",
            "int_marketing_lead_rule_matches",
            "int_marketing_lead_points",
            "lead_scores",
        ],
        nightly,
        two_nights.root / "rerun_scoring",
        timeout=600,
    )
    assert run.returncode == 0, run.stdout
    leads = [kept, recomputed, "ghost"]
    among = "where lead_id in (select unnest(?))"
    industries = _by_lead(nightly, f"select lead_id, industry from {ATTRIBUTES} {among}", leads)
    rewritten = _by_lead(
        nightly, f"select lead_id, rebuilt_at > ? from {ATTRIBUTES} {among}", night_stamp, leads
    )
    altered_matches = _by_lead(
        nightly,
        f"select lead_id, bool_and(points = -999) from {MATCHES} {among} group by lead_id",
        leads,
    )
    scores = _by_lead(nightly, f"select lead_id, lead_score from {POINTS} {among}", leads)
    published = _by_lead(
        nightly, f"select lead_id, lead_score from marts.lead_scores {among}", leads
    )
    expected = _by_lead(scratch, f"select lead_id, lead_score from {POINTS} {among}", leads)
    assert industries[recomputed] != "altered"  # recomputed, and written again
    assert rewritten == {kept: False, recomputed: True}
    assert altered_matches == {kept: True, recomputed: False}  # kept / evaluated again
    assert scores == {kept: -999, recomputed: expected[recomputed]}
    assert published == {kept: -999, recomputed: expected[recomputed]}  # lead_scores follows
    assert "ghost" not in industries | altered_matches | scores  # gone from all three
    bands_sql = f"select lead_id, score_band from marts.lead_scores {among}"
    bands = _by_lead(nightly, bands_sql, [banded, "ghost"])
    assert bands == _by_lead(scratch, bands_sql, [banded, "ghost"])  # written again
    assert list(bands) == [banded]  # and the ghost is gone


# -- the stage chain, by funnel entity ---------------------------------------------------------

STAGE_CHAIN = {
    "intermediate.int_funnel_stage_events": "rebuilt_at",
    "intermediate.int_stage_transitions": "events_rebuilt_at",
    "intermediate.int_stage_spell_bounds": "events_rebuilt_at",
    "intermediate.int_funnel_milestones": "events_rebuilt_at",
    "intermediate.int_funnel_entity_facts": "events_rebuilt_at",
}


def _columns_of(warehouse: Path, table: str) -> set[str]:
    with open_read_only(warehouse) as con:
        return {r[0] for r in con.execute(f"describe {table}").fetchall()}


def _rebuilt_at(warehouse: Path) -> object:
    with open_read_only(warehouse) as con:
        row = con.execute(
            "select max(rebuilt_at) from intermediate.int_funnel_stage_events"
        ).fetchone()
    assert row is not None and row[0] is not None
    return row[0]


def _chain_rows(warehouse: Path, table: str) -> list[tuple]:
    """Every row of a stage-chain table but its bookkeeping column, in a stable order."""
    with open_read_only(warehouse) as con:
        return con.execute(
            f"select * exclude ({STAGE_CHAIN[table]}) from {table} order by all"
        ).fetchall()


def _land_deal_move(landing: Path, warehouse: Path, avoid: tuple[str, ...]) -> tuple[str, str, str]:
    """A night file moving the only deal of a lead to a lead without any deal: both funnel
    entities change. Returns (deal, the lead it leaves, the lead it joins)."""
    with open_read_only(warehouse) as con:
        rows = con.execute(
            """
            with single as (
                select lead_id, min(deal_id) as deal_id
                from staging.stg_crm__deals
                where lead_id is not null and not is_deleted
                group by lead_id
                having count(*) = 1
            )
            select single.deal_id, single.lead_id, (
                select min(leads.lead_id) from staging.stg_crm__leads as leads
                where leads.lead_id not in (select d.lead_id from staging.stg_crm__deals as d
                                            where d.lead_id is not null)
                    and leads.lead_id not in (select unnest(?))
            )
            from single
            where single.lead_id not in (select unnest(?))
            order by single.lead_id
            limit 1
            """,
            [list(avoid), list(avoid)],
        ).fetchone()
    assert rows is not None and rows[2] is not None, "no single-deal lead and no deal-less lead"
    deal_id, giver, taker = rows
    versions = sorted(
        (r for r in _landed_rows(landing / "crm" / "deals") if r["deal_id"] == deal_id),
        key=lambda r: r["updated_at"],
    )
    assert versions, deal_id
    _write_rows(
        landing / "crm" / "deals" / "deals__night_move.csv",
        [{**versions[-1], "lead_id": taker, "updated_at": _one_second_later(versions[-1])}],
    )
    return deal_id, giver, taker


def _entity_ids_of(warehouse: Path, table: str, entity_id: str) -> set[str]:
    """The funnel entities holding ``entity_id``'s rows in a stage-chain table."""
    with open_read_only(warehouse) as con:
        rows = con.execute(
            f"select distinct funnel_entity_id from {table} where entity_id = ?", [entity_id]
        ).fetchall()
    return {r[0] for r in rows}


def test_the_stage_chain_built_by_funnel_entity_equals_a_build_from_scratch(
    two_nights: TwoNights,
) -> None:
    nightly, scratch = two_nights.nightly, two_nights.scratch
    for table in STAGE_CHAIN:
        assert _chain_rows(nightly, table) == _chain_rows(scratch, table), table
        if "entity_id" in _columns_of(nightly, table):  # a milestone or fact names no record
            # the moved deal's rows left its old lead for its new one
            assert _entity_ids_of(nightly, table, two_nights.moved_deal) == {two_nights.deal_taker}

    with open_read_only(nightly) as con:
        rewritten = {
            r[0]
            for r in con.execute(
                "select distinct funnel_entity_id from intermediate.int_funnel_stage_events "
                "where rebuilt_at > ?",
                [two_nights.first_rebuilt_at],
            ).fetchall()
        }
        entities = con.execute(
            "select count(distinct funnel_entity_id) from intermediate.int_funnel_stage_events"
        ).fetchone()
        deal_events = con.execute(
            "select count(*) from intermediate.int_funnel_stage_events "
            "where funnel_entity_id = ? and entity_type = 'deal'",
            [two_nights.deal_lead],
        ).fetchone()
    assert entities is not None and deal_events == (0,)  # the deleted deal's events are gone
    # the night rewrote the funnel entities it changed, and not the others: the deleted deal's
    # and the moved deal's leads, and the night's own new and changed records
    assert {two_nights.deal_lead, two_nights.deal_giver, two_nights.deal_taker} <= rewritten
    assert len(rewritten) < entities[0] / 2, (len(rewritten), entities[0])

    # Nothing new: the chain keeps the rows of funnel entities whose events did not change (a
    # transition altered by hand stays), and recomputes one whose events' rebuilt_at differs.
    with open_read_write(nightly) as con:
        kept, recomputed = (
            r[0]
            for r in con.execute(
                "select distinct funnel_entity_id from intermediate.int_stage_transitions "
                "where funnel_entity_id not in (select unnest(?)) order by 1 limit 2",
                [sorted(rewritten)],
            ).fetchall()
        )
        for entity in (kept, recomputed):
            con.execute(
                "update intermediate.int_stage_transitions set stage_label = 'altered' "
                "where funnel_entity_id = ?",
                [entity],
            )
            con.execute(
                "update intermediate.int_funnel_milestones set stage_order = -1 "
                "where funnel_entity_id = ?",
                [entity],
            )
        con.execute(
            "update intermediate.int_funnel_stage_events set rebuilt_at = rebuilt_at "
            "+ interval 1 second where funnel_entity_id = ?",
            [recomputed],
        )
        # the entity facts follow a changed deal outcome and a changed entity row, and lose a
        # funnel entity that is gone, while the others are kept
        won, renamed, gone = (
            r[0]
            for r in con.execute(
                "select funnel_entity_id from intermediate.int_funnel_entity_facts "
                "where funnel_entity_id not in (select unnest(?)) "
                "order by won_deal_count = 1 desc, funnel_entity_id limit 3",
                [sorted({*rewritten, kept, recomputed})],
            ).fetchall()
        )
        con.execute(
            "update intermediate.int_funnel_entity_facts set skip_count = -1 "
            "where funnel_entity_id in (?, ?)",
            [kept, recomputed],
        )
        con.execute(
            "update intermediate.int_deal_outcomes set won_amount_reporting = 1234567 "
            "where funnel_entity_id = ? and is_won",
            [won],
        )
        con.execute(
            "update intermediate.int_funnel_entities set channel = 'altered' "
            "where funnel_entity_id = ?",
            [renamed],
        )
        con.execute(
            "delete from intermediate.int_funnel_entities where funnel_entity_id = ?", [gone]
        )
        # and the incremental CRM staging keeps a lead with no new raw row as it is
        row = con.execute("select min(lead_id) from staging.stg_crm__leads").fetchone()
        assert row is not None and row[0] is not None
        still_lead = row[0]
        con.execute(
            "update staging.stg_crm__leads set company_name = 'altered' where lead_id = ?",
            [still_lead],
        )
    run = run_dbt(
        [
            "run",
            "--select",
            "int_stage_transitions",
            "int_stage_spell_bounds",
            "int_funnel_milestones",
            "int_funnel_entity_facts",
            "stg_crm__leads",
        ],
        nightly,
        two_nights.root / "rerun_chain",
        timeout=600,
    )
    assert run.returncode == 0, run.stdout
    with open_read_only(nightly) as con:
        labels = dict(
            con.execute(
                "select funnel_entity_id, bool_or(stage_label = 'altered') "
                "from intermediate.int_stage_transitions where funnel_entity_id in (?, ?) "
                "group by 1",
                [kept, recomputed],
            ).fetchall()
        )
        orders = dict(
            con.execute(
                "select funnel_entity_id, bool_or(stage_order = -1) "
                "from intermediate.int_funnel_milestones where funnel_entity_id in (?, ?) "
                "group by 1",
                [kept, recomputed],
            ).fetchall()
        )
        facts = {
            r[0]: r[1:]
            for r in con.execute(
                "select funnel_entity_id, skip_count, won_amount_reporting, channel "
                "from intermediate.int_funnel_entity_facts "
                "where funnel_entity_id in (?, ?, ?, ?, ?)",
                [kept, recomputed, won, renamed, gone],
            ).fetchall()
        }
    assert labels == {kept: True, recomputed: False}
    assert orders == {kept: True, recomputed: False}
    assert facts[kept][0] == -1 and facts[recomputed][0] >= 0  # kept / recomputed
    assert facts[won][1] == 1234567  # its one won deal's outcome changed
    assert facts[renamed][2] == "altered"  # its int_funnel_entities row changed
    assert gone not in facts  # gone from int_funnel_entities, so from the facts
    with open_read_only(nightly) as con:
        company = con.execute(
            "select company_name from staging.stg_crm__leads where lead_id = ?", [still_lead]
        ).fetchone()
    assert company == ("altered",)


def test_the_transitions_mart_follows_its_intermediate_by_funnel_entity(
    two_nights: TwoNights,
) -> None:
    """fct_stage_transitions rewrites exactly the funnel entities whose rows differ from
    int_stage_transitions (both ways), and keeps the others as they are."""
    nightly = two_nights.nightly
    mart, source = "marts.fct_stage_transitions", "intermediate.int_stage_transitions"
    with open_read_write(nightly) as con:
        altered, vanished, kept = (
            r[0]
            for r in con.execute(
                f"select distinct funnel_entity_id from {mart} order by 1 limit 3"
            ).fetchall()
        )
        # a mart row altered by hand (its intermediate rows unchanged): recomputed
        con.execute(
            f"update {mart} set stage_label = 'by hand' where funnel_entity_id = ?", [altered]
        )
        # an entity whose transitions are gone upstream: its rows leave the mart
        con.execute(f"delete from {source} where funnel_entity_id = ?", [vanished])
        # a column outside the comparison (a reporting date follows from changed_at) altered by
        # hand: the entity is not rewritten, so the alteration stays
        con.execute(
            f"update {mart} set changed_month = date '1900-01-01' where funnel_entity_id = ?",
            [kept],
        )
    run = run_dbt(
        ["run", "--select", "fct_stage_transitions"],
        nightly,
        two_nights.root / "rerun_transitions",
        timeout=600,
    )
    assert run.returncode == 0, run.stdout
    compared = (
        "stage_transition_id, entity_type, entity_id, funnel_entity_type, funnel_entity_id, "
        "transition_sequence, stage_label, from_stage_key, to_stage_key, is_skip, changed_at"
    )
    with open_read_only(nightly) as con:
        labels = con.execute(
            f"select count(*) filter (where stage_label = 'by hand'), count(*) from {mart} "
            "where funnel_entity_id = ?",
            [altered],
        ).fetchone()
        vanished_rows = con.execute(
            f"select count(*) from {mart} where funnel_entity_id = ?", [vanished]
        ).fetchone()
        months = con.execute(
            f"select distinct changed_month from {mart} where funnel_entity_id = ?", [kept]
        ).fetchall()
        differing = con.execute(
            f"select count(*) from ((select {compared} from {mart} except all "
            f"select {compared} from {source}) union all (select {compared} from {source} "
            f"except all select {compared} from {mart}))"
        ).fetchone()
    assert labels is not None and labels[0] == 0 and labels[1] > 0
    assert vanished_rows == (0,)
    assert [str(m) for (m,) in months] == ["1900-01-01"]
    assert differing == (0,)
