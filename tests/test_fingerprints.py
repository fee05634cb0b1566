"""A change of a seed, var, model SQL or macro an incremental model depends on rebuilds it whole
in the same build (orchestration/rule_fingerprints.py, issue 17 item 2), on DuckDB and on
PostgreSQL.

A small dbt project of its own (written here, built by the real dbt and engines) holds what the
mechanism must handle generically: an incremental model ``things`` that maps a raw code through
the seed ``labels`` with the project's macro ``labelled`` and reads two vars (one through
``env_var``), an incremental model ``thing_copies`` built on it (no seed of its own), and a
table on an unrelated seed. The rows
each night must hold are derived from the seed and raw rows the test writes; a copy of the
warehouse built without the mechanism shows what it prevents (yesterday's label left in place).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from orchestration.rule_fingerprints import FINGERPRINT_TABLE, Refresh, refresh_changed_rules

DBT = Path(sys.executable).parent / "dbt"

PROJECT = {
    "dbt_project.yml": """\
name: mini
version: "1.0.0"
config-version: 2
profile: mini
vars:
  label_suffix: ""
  system: "{{ env_var('MINI_SYSTEM', 'none') }}"
""",
    "profiles.yml": """\
mini:
  target: duckdb
  outputs:
    duckdb:
      type: duckdb
      path: "{{ env_var('MINI_WAREHOUSE') }}"
      threads: 1
    postgres:
      type: postgres
      host: "{{ env_var('FUNNEL_PG_HOST', '127.0.0.1') }}"
      port: "{{ env_var('FUNNEL_PG_PORT', '5432') | as_number }}"
      user: "{{ env_var('FUNNEL_PG_USER', 'postgres') }}"
      password: "{{ env_var('FUNNEL_PG_PASSWORD', '') }}"
      dbname: "{{ env_var('FUNNEL_PG_DATABASE', 'funnel') }}"
      schema: public
      threads: 1
""",
    "seeds/labels.csv": "code,label\na,Alpha\nb,Beta\n",
    "seeds/colours.csv": "colour\nred\n",
    "models/sources.yml": """\
version: 2
sources:
  - name: raw
    schema: raw
    tables:
      - name: things
""",
    "models/things.sql": """\
{{ config(materialized='incremental', unique_key='thing_id',
          incremental_strategy='delete+insert') }}
select
    r.thing_id,
    r.loaded_at,
    {{ labelled('l.label') }} || '{{ var("label_suffix") }}' as label,
    '{{ var("system") }}' as system_name
from {{ source('raw', 'things') }} as r
left join {{ ref('labels') }} as l on l.code = r.code
{% if is_incremental() %}
where r.loaded_at > (select max(loaded_at) from {{ this }})
{% endif %}
""",
    "models/thing_copies.sql": """\
{{ config(materialized='incremental', unique_key='thing_id',
          incremental_strategy='delete+insert') }}
select thing_id, loaded_at, label, system_name from {{ ref('things') }}
{% if is_incremental() %}
where loaded_at > (select max(loaded_at) from {{ this }})
{% endif %}
""",
    "models/colour_list.sql": "select colour from {{ ref('colours') }}\n",
    "macros/labelled.sql": "{% macro labelled(column) %}{{ column }}{% endmacro %}\n",
}


class MiniProject:
    """The project above, its warehouse on one engine, and a night: rules check, dbt build."""

    def __init__(self, root: Path, engine: str) -> None:
        self.dir = root / "project"
        self.engine = engine
        self.warehouse = root / "warehouse" / "mini.duckdb"
        self.warehouse.parent.mkdir(parents=True)
        for name, text in PROJECT.items():
            (self.dir / name).parent.mkdir(parents=True, exist_ok=True)
            (self.dir / name).write_text(text, encoding="utf-8")
        self.execute("create schema if not exists raw")
        self.execute("create table raw.things (thing_id integer, code varchar(8), loaded_at date)")
        self.dbt("parse")

    @property
    def manifest(self) -> Path:
        return self.dir / "target" / "manifest.json"

    def connect(self):  # a psycopg2 connection to the PostgreSQL database
        from orchestration.engines.postgres_connection import PostgresSettings

        return PostgresSettings.from_environment().connect()

    def execute(self, sql: str) -> list[tuple]:
        if self.engine == "duckdb":
            with duckdb.connect(str(self.warehouse)) as con:
                result = con.execute(sql)
                return result.fetchall() if result.description else []
        con = self.connect()
        try:
            with con.cursor() as cursor:
                cursor.execute(sql)
                rows = cursor.fetchall() if cursor.description else []
            con.commit()
            return rows
        finally:
            con.close()

    def dbt(self, *args: str) -> None:
        run = subprocess.run(
            [str(DBT) if DBT.exists() else "dbt", *args, "--target", self.engine],
            cwd=self.dir,
            env={**os.environ, "MINI_WAREHOUSE": str(self.warehouse)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert run.returncode == 0, run.stdout[-3000:]

    def night(self, *, rules: bool = True) -> Refresh:
        """One build: the rules check (unless ``rules`` is False), then ``dbt build``."""
        refresh = Refresh()
        if rules:
            refresh = refresh_changed_rules(
                self.manifest, self.dir, self.warehouse, self.engine, environ=os.environ
            )
        self.dbt("build")
        return refresh

    @property
    def schema(self) -> str:
        """Where dbt builds the models (the profile's schema)."""
        return "public" if self.engine == "postgres" else "main"


@pytest.fixture
def system_variable() -> Iterator[None]:
    saved = os.environ.pop("MINI_SYSTEM", None)
    yield
    os.environ.pop("MINI_SYSTEM", None)
    if saved is not None:
        os.environ["MINI_SYSTEM"] = saved


def _rows(project: MiniProject, model: str) -> list[tuple]:
    sql = f"select thing_id, label, system_name from {project.schema}.{model}"
    return sorted(project.execute(sql))


def _expected(labels: dict[str, str], raw: list[tuple[int, str]], system: str) -> list[tuple]:
    return sorted((thing_id, labels.get(code), system) for thing_id, code in raw)


def _check_rules(project: MiniProject) -> None:
    raw = [(1, "a"), (2, "b")]
    project.execute("insert into raw.things values (1, 'a', '2025-01-01'), (2, 'b', '2025-01-01')")
    first = project.night()
    assert first.lines() == [] and first.dropped == {}  # nothing existed: built whole anyway
    labels = {"a": "Alpha", "b": "Beta"}
    for model in ("things", "thing_copies"):
        assert _rows(project, model) == _expected(labels, raw, "none")

    # nothing changed, or only a seed no incremental model reads: nothing is dropped
    assert (
        refresh_changed_rules(
            project.manifest, project.dir, project.warehouse, project.engine
        ).dropped
        == {}
    )
    (project.dir / "seeds" / "colours.csv").write_text("colour\nred\nblue\n", encoding="utf-8")
    assert (
        refresh_changed_rules(
            project.manifest, project.dir, project.warehouse, project.engine
        ).dropped
        == {}
    )

    # the label mapping changes and a new raw row lands
    control = None
    if project.engine == "duckdb":  # the same warehouse, built without the mechanism
        control = project.warehouse.with_name("control.duckdb")
        shutil.copyfile(project.warehouse, control)
    (project.dir / "seeds" / "labels.csv").write_text("code,label\na,Alpha\nb,Bravo\n", "utf-8")
    project.execute("insert into raw.things values (3, 'b', '2025-01-02')")
    raw.append((3, "b"))
    labels["b"] = "Bravo"
    seed_night = project.night()
    # thing_copies reads the seed through things: it is rebuilt whole too
    assert seed_night.lines() == [
        "[rules] seed labels changed: full refresh of thing_copies, things"
    ]
    schema = project.schema
    assert seed_night.dropped == {m: f"{schema}.{m}" for m in ("thing_copies", "things")}
    for model in ("things", "thing_copies"):
        assert _rows(project, model) == _expected(labels, raw, "none")
    if control is not None:
        saved, project.warehouse = project.warehouse, control
        try:
            project.night(rules=False)
            # without the mechanism thing 2 keeps yesterday's label
            assert (2, "Beta", "none") in _rows(project, "things")
        finally:
            project.warehouse = saved

    # a var read through env_var changes: every incremental model is rebuilt whole
    os.environ["MINI_SYSTEM"] = "crm"
    var_night = project.night()
    assert var_night.lines() == ["[rules] var system changed: full refresh of thing_copies, things"]
    for model in ("things", "thing_copies"):
        assert _rows(project, model) == _expected(labels, raw, "crm")

    # a macro a model calls changes: the models built with it are rebuilt whole
    macro = project.dir / "macros" / "labelled.sql"
    macro.write_text(
        "{% macro labelled(column) %}upper({{ column }}){% endmacro %}\n", encoding="utf-8"
    )
    project.dbt("parse")
    labels = {code: label.upper() for code, label in labels.items()}
    macro_night = project.night()
    assert macro_night.lines() == [
        "[rules] macro labelled changed: full refresh of thing_copies, things"
    ]
    for model in ("things", "thing_copies"):  # without it the rows held keep their old case
        assert _rows(project, model) == _expected(labels, raw, "crm")

    # a model's SQL changes: it and the incremental models built on it are rebuilt whole; a
    # change of the model downstream rebuilds that model only
    things = project.dir / "models" / "things.sql"
    things.write_text(
        things.read_text(encoding="utf-8").replace("as label,", "as label, -- upper case\n"),
        encoding="utf-8",
    )
    copies = project.dir / "models" / "thing_copies.sql"
    copies.write_text(
        copies.read_text(encoding="utf-8").replace(
            "label, system_name", "lower(label) as label, system_name"
        ),
        encoding="utf-8",
    )
    project.dbt("parse")
    sql_night = project.night()
    assert sql_night.lines() == [
        "[rules] model thing_copies changed: full refresh of thing_copies",
        "[rules] model things changed: full refresh of thing_copies, things",
    ]
    assert _rows(project, "things") == _expected(labels, raw, "crm")
    lower = {code: label.lower() for code, label in labels.items()}
    assert _rows(project, "thing_copies") == _expected(lower, raw, "crm")

    # a table recorded by a version that fingerprinted seeds and vars only is rebuilt whole
    project.execute(
        f"delete from {FINGERPRINT_TABLE} where rule not like 'seed:%' and rule not like 'var:%'"
    )
    older = project.night()
    assert older.lines() == [
        "[rules] no SQL fingerprint recorded yet: full refresh of thing_copies, things"
    ]

    # a table with no fingerprint recorded (built before the mechanism, or a model newly made
    # incremental) is rebuilt whole, and the incremental models built on it too
    project.execute(f"delete from {FINGERPRINT_TABLE} where model = 'things'")
    upgrade = project.night()
    assert upgrade.lines() == [
        "[rules] no rule fingerprint recorded yet: full refresh of things",
        "[rules] things is rebuilt whole upstream: full refresh of thing_copies",
    ]
    assert set(upgrade.dropped) == {"things", "thing_copies"}
    assert _rows(project, "things") == _expected(labels, raw, "crm")
    assert _rows(project, "thing_copies") == _expected(lower, raw, "crm")
    recorded = project.execute(f"select model, rule from {FINGERPRINT_TABLE} order by 1, 2")
    rules = ["macro:labelled", "model:things", "seed:labels", "var:label_suffix", "var:system"]
    assert recorded == [
        ("thing_copies", r) for r in ["macro:labelled", "model:thing_copies", *rules[1:]]
    ] + [("things", r) for r in rules]


def test_a_rule_or_sql_change_rebuilds_incremental_models_whole_on_duckdb(
    tmp_path: Path, system_variable: None
) -> None:
    _check_rules(MiniProject(tmp_path, "duckdb"))


def test_a_rule_or_sql_change_rebuilds_incremental_models_whole_on_postgres(
    tmp_path: Path, system_variable: None
) -> None:
    from tests.engines_support import private_postgres

    with private_postgres():
        _check_rules(MiniProject(tmp_path, "postgres"))


def test_nothing_is_incremental_on_spark(tmp_path: Path) -> None:
    refresh = refresh_changed_rules(tmp_path / "no-manifest.json", tmp_path, tmp_path, "spark")
    assert refresh.dropped == {} and refresh.lines() == [
        "[rules] spark: every model is a table, nothing is incremental"
    ]


def test_a_manifest_parsed_for_spark_cannot_plan_another_engines_rules(tmp_path: Path) -> None:
    """On Spark no model is incremental: planning a DuckDB build from its manifest would record
    no fingerprint, and the next night would refresh every incremental table whole."""
    spark_manifest = {"metadata": {"adapter_type": "spark"}, "nodes": {}}
    with pytest.raises(ValueError, match="parsed for spark, this build runs on duckdb"):
        refresh_changed_rules(spark_manifest, tmp_path, tmp_path / "w.duckdb", "duckdb")


def test_incremental_marts_in_the_marts_file_are_found_and_dropped(tmp_path: Path) -> None:
    """On DuckDB the marts live in the marts file next to the warehouse: a refreshed
    incremental mart is dropped there (its drop committed first, DuckDB writing one attached
    file per transaction), a refreshed intermediate model in the warehouse, and the
    fingerprints are recorded; a ``marts`` schema the warehouse kept from before the marts had
    a file of their own is dropped, so no reader finds its stale rows first."""
    from orchestration.rule_fingerprints import open_store
    from orchestration.warehouse import marts_path

    warehouse = tmp_path / "funnel.duckdb"
    with duckdb.connect(str(warehouse)) as con:
        con.execute("create schema intermediate")
        con.execute("create table intermediate.int_u as select 1 as id")
        con.execute("create schema marts")  # the old layout: a stale copy of the mart
        con.execute("create table marts.fct_t as select 0 as id")
    with duckdb.connect(str(marts_path(warehouse))) as con:
        con.execute("create schema marts")
        con.execute("create table marts.fct_t as select 1 as id")
        con.execute("create table marts.fct_kept as select 1 as id")

    with open_store(warehouse, "duckdb") as store:
        store.create()
        found = store.existing(["marts.fct_t", "marts.fct_gone", "intermediate.int_u"])
        assert found == {"marts.fct_t", "intermediate.int_u"}
        refresh = Refresh(
            dropped={"fct_t": "marts.fct_t", "int_u": "intermediate.int_u"},
            recorded=["fct_t", "int_u"],
        )
        current = {"fct_t": {"model:fct_t": "1"}, "int_u": {"model:int_u": "2"}}
        store.apply(refresh, current, keep={"fct_t", "int_u"})

    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        assert sorted(tables) == [("meta", FINGERPRINT_TABLE.split(".")[1])]
        recorded = con.execute(f"select model, rule, digest from {FINGERPRINT_TABLE} order by 1")
        assert recorded.fetchall() == [("fct_t", "model:fct_t", "1"), ("int_u", "model:int_u", "2")]
    with duckdb.connect(str(marts_path(warehouse)), read_only=True) as con:
        tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        assert tables == [("marts", "fct_kept")]
