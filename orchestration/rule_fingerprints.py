"""Business-rule changes force a full refresh of the incremental models (issue 17, item 2).

An incremental model only looks at raw rows loaded since its last build. If a business rule it
applies changes (a seed such as a label mapping, or a var of ``dbt_project.yml``), the rows it
already holds were built with the old rule, and a night would leave them in place. So every
build keeps, next to the incremental tables, a fingerprint of each rule each incremental model
depends on, in ``meta.incremental_fingerprints`` of the engine's database (the DuckDB
warehouse, or PostgreSQL; one row per model and rule). Before ``dbt build``:

1. the incremental models come from dbt's manifest (every enabled model whose materialization
   is ``incremental``: nothing is listed by hand);
2. each model's rules are **every seed upstream of it** (transitively through the models it
   reads, from the manifest's ``parent_map``: ``ref()`` calls of the macros it calls are
   there too), fingerprinted as the seed file's bytes and its config (column types,
   delimiter), **and every var of ``dbt_project.yml``** (its definition as written plus the
   value of each environment variable it reads through ``env_var()``, e.g.
   ``FUNNEL_TOUCHPOINTS_LEAD_SYSTEM``). dbt does not record which vars a model reads, so
   every var counts for every incremental model: a var change fully refreshes them all, a
   safe over-approximation. Vars given on the command line (``--vars``) are not seen; the
   build passes none. **And the SQL**: the model's own file and config, those of every model
   upstream of it (a changed rule in a table or view between the sources and an incremental
   model would otherwise reach only the rows a night recomputes), and every project macro
   these call, directly or through other macros (each adapter's implementation of a
   dispatched macro, and the project's incremental strategies), so a new version of the
   project never leaves rows built by the old one in place;
3. a model whose rules differ from the recorded ones, or whose table exists with nothing
   recorded (a warehouse built before this mechanism), is **dropped**, with every
   incremental model downstream of it, so the same ``dbt build`` creates them whole from raw;
   the log says why ("seed crm_stage_labels changed: full refresh of stg_crm__leads, ...");
4. the new fingerprints are recorded in the same transaction as the drops (on DuckDB the
   incremental marts live in the marts file, and DuckDB writes one attached file per
   transaction: their drops are committed just before). A table that exists was therefore
   always built under the recorded rules: if the build fails or is killed later, the dropped
   table is still missing and the next build creates it whole.

Nothing here changes dbt's command line (no ``--vars``, no ``--full-refresh``), so dbt keeps
its partial-parse state between nights (issue 17, item 3). On Spark every model is a table
(pitfall 23): nothing to do.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import yaml

from orchestration.engines.targets import POSTGRES, SPARK, normalize_target

META_SCHEMA = "meta"
FINGERPRINT_TABLE = f"{META_SCHEMA}.incremental_fingerprints"
#: the kind of each recorded rule, before the colon of its name (``seed:channel_mapping``)
SEED, VAR, MODEL, MACRO = "seed", "var", "model", "macro"
#: an adapter's implementation of a dispatched macro: ``duckdb__row_signature``
_DISPATCHED = re.compile(r"^[a-z0-9]+__(?P<base>.+)$")

#: the names a text can call a macro by (or name it, as adapter.dispatch does)
_NAMES = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: rules recorded per insert statement
_ROWS_PER_INSERT = 500

_ENV_VAR = re.compile(r"""env_var\(\s*['"]([^'"]+)['"]""")

Manifest = Mapping[str, Any]
Node = Mapping[str, Any]
#: model name -> {rule ("seed:<name>" / "var:<name>") -> digest}
Fingerprints = dict[str, dict[str, str]]


def _digest(*parts: object) -> str:
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# -- what the rules are ----------------------------------------------------------------------


def incremental_models(manifest: Manifest) -> dict[str, Node]:
    """unique_id -> node of every enabled model materialized ``incremental`` in the manifest."""
    return {
        uid: node
        for uid, node in manifest.get("nodes", {}).items()
        if node.get("resource_type") == "model"
        and node.get("config", {}).get("materialized") == "incremental"
    }


def relation(node: Node) -> str:
    """``schema.identifier`` of a model's table (as dbt names it, without the database)."""
    return f"{node['schema']}.{node.get('alias') or node['name']}"


def _reachable(
    edges: Mapping[str, list[str]], unique_id: str, follow: Callable[[str], bool] = bool
) -> set[str]:
    """unique_ids reachable from ``unique_id`` along ``edges`` (dbt's ``parent_map`` or
    ``child_map``), through nodes ``follow`` accepts only."""
    seen: set[str] = set()
    pending = list(edges.get(unique_id, []))
    while pending:
        node = pending.pop()
        if node not in seen and follow(node):
            seen.add(node)
            pending.extend(edges.get(node, []))
    return seen


def upstream_seeds(manifest: Manifest, unique_id: str) -> set[str]:
    """unique_ids of every seed ``unique_id`` reads, directly or through other nodes."""
    upstream = _reachable(manifest.get("parent_map", {}), unique_id)
    return {uid for uid in upstream if uid.startswith("seed.")}


def downstream(manifest: Manifest, unique_id: str) -> set[str]:
    """unique_ids of every node built on ``unique_id``, directly or not."""
    return _reachable(manifest.get("child_map", {}), unique_id)


def upstream_models(manifest: Manifest, unique_id: str) -> set[str]:
    """unique_ids of ``unique_id`` and every model it reads, directly or not."""
    parents = manifest.get("parent_map", {})
    return {unique_id} | _reachable(parents, unique_id, lambda uid: uid.startswith("model."))


def _base_name(macro_name: str) -> str:
    """``row_signature`` for ``row_signature``, ``duckdb__row_signature`` and
    ``default__row_signature``: the name ``adapter.dispatch`` resolves."""
    found = _DISPATCHED.match(macro_name)
    return found.group("base") if found else macro_name


def called_macros(manifest: Manifest, models: Iterable[str], package: str) -> set[str]:
    """unique_ids of the ``package`` macros that building ``models`` can call: every macro
    whose name their SQL mentions, and so on through those macros' SQL; every adapter's
    implementation of each (``adapter.dispatch``); the project's incremental strategies,
    materializations and ``generate_*_name`` macros, which dbt calls by name. Read from the
    text, not from dbt's ``depends_on``, which names only the macros the branches rendered at
    parse time called (another var, adapter or a partial parse gives another list)."""
    nodes, macros = manifest.get("nodes", {}), manifest.get("macros", {})
    by_base: dict[str, list[str]] = {}
    for uid, macro in macros.items():
        if macro.get("package_name") == package:
            by_base.setdefault(_base_name(macro["name"]), []).append(uid)
    texts = [str(nodes[uid].get("raw_code", "")) for uid in models]
    bases = {
        base
        for base in by_base
        if base.startswith(("materialization_", "generate_"))
        or any(
            base
            == f"get_incremental_{nodes[uid].get('config', {}).get('incremental_strategy')}_sql"
            for uid in models
        )
    }
    seen: set[str] = set()
    while texts or bases:
        for text in texts:
            bases |= set(_NAMES.findall(text)) & by_base.keys()
        texts = [
            str(macros[uid].get("macro_sql", ""))
            for base in bases
            for uid in by_base[base]
            if uid not in seen
        ]
        seen |= {uid for base in bases for uid in by_base[base]}
        bases = set()
    return seen


def model_digest(node: Node) -> str:
    """The model's SQL file and its config as written (adapter-independent)."""
    return _digest(node.get("checksum", {}).get("checksum"), node.get("unrendered_config", {}))


def macro_digest(node: Node) -> str:
    """The macro's SQL as written."""
    return _digest(node.get("macro_sql"))


def seed_digest(node: Node, project_dir: Path) -> str:
    """The seed file's bytes and the seed's config: what ``dbt seed`` loads and how."""
    path = project_dir / node["original_file_path"]
    content = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else "missing"
    return _digest(content, node.get("config", {}))


def var_digests(project_dir: Path, environ: Mapping[str, str]) -> dict[str, str]:
    """var name -> digest of its definition in dbt_project.yml and of every environment
    variable it reads with ``env_var()`` (dbt renders a var when a model reads it)."""
    project = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8"))
    digests = {}
    for name, value in (project.get("vars") or {}).items():
        written = json.dumps(value, sort_keys=True, default=str)
        reads = sorted(set(_ENV_VAR.findall(written)))
        digests[str(name)] = _digest(written, {env: environ.get(env) for env in reads})
    return digests


def current_fingerprints(
    manifest: Manifest, project_dir: Path, environ: Mapping[str, str] | None = None
) -> Fingerprints:
    """Each incremental model's rules and their digests now (model name -> rule -> digest)."""
    environ = os.environ if environ is None else environ
    variables = {f"{VAR}:{name}": d for name, d in var_digests(project_dir, environ).items()}
    nodes, macros = manifest.get("nodes", {}), manifest.get("macros", {})
    seeds: dict[str, str] = {}
    found: Fingerprints = {}
    for uid, node in incremental_models(manifest).items():
        rules = dict(variables)
        for seed in upstream_seeds(manifest, uid):
            if seed not in seeds:
                seeds[seed] = seed_digest(nodes[seed], project_dir)
            rules[f"{SEED}:{nodes[seed]['name']}"] = seeds[seed]
        models = upstream_models(manifest, uid)
        for model in models:
            rules[f"{MODEL}:{nodes[model]['name']}"] = model_digest(nodes[model])
        for macro in called_macros(manifest, models, node["package_name"]):
            rules[f"{MACRO}:{macros[macro]['name']}"] = macro_digest(macros[macro])
        found[node["name"]] = rules
    return found


# -- what to refresh -------------------------------------------------------------------------


@dataclass
class Refresh:
    """The outcome for one build: the tables dropped (rebuilt whole) and why."""

    #: model name -> relation dropped
    dropped: dict[str, str] = field(default_factory=dict)
    #: cause ("seed crm_stage_labels changed") -> the models it refreshes
    causes: dict[str, list[str]] = field(default_factory=dict)
    #: models whose fingerprints were (re)recorded
    recorded: list[str] = field(default_factory=list)
    skipped: str | None = None

    def lines(self) -> list[str]:
        """One line per cause: "seed X changed: full refresh of A, B"."""
        if self.skipped:
            return [f"[rules] {self.skipped}"]
        return [
            f"[rules] {cause}: full refresh of {', '.join(sorted(models))}"
            for cause, models in self.causes.items()
        ]


def _describe(rule: str, now: str | None, before: str | None) -> str:
    kind, _, name = rule.partition(":")
    where = kind in (SEED, MODEL, MACRO)
    if before is None:
        return f"{kind} {name} is new" + (" upstream" if where else "")
    if now is None:
        return f"{kind} {name} is gone" + (" from upstream" if where else "")
    return f"{kind} {name} changed"


def plan_refresh(
    manifest: Manifest,
    current: Fingerprints,
    recorded: Fingerprints,
    existing: set[str],
    *,
    selected: Callable[[Node], bool] = lambda node: True,
) -> Refresh:
    """Which incremental models to drop, and why (pure: reads nothing, changes nothing).

    ``existing``: the relations (``schema.identifier``) that exist in the warehouse now."""
    models = {uid: n for uid, n in incremental_models(manifest).items() if selected(n)}
    names = {uid: node["name"] for uid, node in models.items()}
    refresh = Refresh()
    stale: set[str] = set()
    for uid in sorted(models, key=names.__getitem__):
        node, name = models[uid], names[uid]
        if relation(node) not in existing:
            continue  # dbt creates it whole anyway
        before = recorded.get(name)
        if not before:
            refresh.causes.setdefault("no rule fingerprint recorded yet", []).append(name)
            stale.add(uid)
            continue
        if not any(rule.startswith(f"{MODEL}:") for rule in before):
            # recorded by a version that fingerprinted seeds and vars only
            refresh.causes.setdefault("no SQL fingerprint recorded yet", []).append(name)
            stale.add(uid)
            continue
        now = current[name]
        for rule in sorted(set(now) | set(before)):
            if now.get(rule) != before.get(rule):
                cause = _describe(rule, now.get(rule), before.get(rule))
                refresh.causes.setdefault(cause, []).append(name)
                stale.add(uid)
    # an incremental model built on a refreshed one would keep rows made from its old rows
    below: set[str] = set()
    for uid in sorted(stale, key=names.__getitem__):
        children = downstream(manifest, uid) & set(models)
        for child in sorted(children - stale, key=names.__getitem__):
            if relation(models[child]) in existing:
                cause = f"{names[uid]} is rebuilt whole upstream"
                refresh.causes.setdefault(cause, []).append(names[child])
                below.add(child)
    refreshed = stale | below
    refresh.dropped = {names[uid]: relation(models[uid]) for uid in sorted(refreshed)}
    refresh.recorded = sorted(
        names[uid]
        for uid in models
        if uid in refreshed
        or relation(models[uid]) not in existing
        or recorded.get(names[uid]) != current[names[uid]]
    )
    return refresh


# -- where the fingerprints live -------------------------------------------------------------


class Cursor(Protocol):
    """What a DuckDB connection and a psycopg2 cursor both offer."""

    def execute(self, sql: str, params: Any = ...) -> Any: ...
    def fetchall(self) -> list[tuple[Any, ...]]: ...


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _quoted(relation_name: str) -> str:
    schema, _, table = relation_name.partition(".")
    return f"{_quote(schema)}.{_quote(table)}"


@dataclass
class Store:
    """The fingerprint table and the incremental tables of one engine's database."""

    cursor: Cursor
    #: the engine's placeholder: ``?`` (DuckDB) or ``%s`` (psycopg2)
    placeholder: str
    #: ``drop table ... cascade`` (PostgreSQL: views dbt builds on the table; dbt rebuilds
    #: them in the same build)
    cascade: bool
    #: DuckDB: schema -> the attached file its tables live in (``marts`` -> the marts file)
    catalogs: dict[str, str] = field(default_factory=dict)
    #: DuckDB: ``apply`` opens its own transactions (``open_store`` does not): DuckDB writes one
    #: attached file per transaction, so the marts file's drops commit first, on their own
    own_transactions: bool = False

    def _sql(self, sql: str) -> str:
        return sql.replace("?", self.placeholder)

    def _name(self, relation_name: str) -> str:
        schema = relation_name.partition(".")[0]
        catalog = self.catalogs.get(schema)
        return f"{_quote(catalog)}.{_quoted(relation_name)}" if catalog else _quoted(relation_name)

    def existing(self, relations: Iterable[str]) -> set[str]:
        present = set()
        for wanted in sorted(set(relations)):
            schema, _, table = wanted.partition(".")
            catalog = self.catalogs.get(schema)
            sql = (
                "select count(*) from information_schema.tables "
                "where table_schema = ? and table_name = ? and table_type = 'BASE TABLE'"
            )
            self.cursor.execute(
                self._sql(sql + (" and table_catalog = ?" if catalog else "")),
                [schema, table, catalog] if catalog else [schema, table],
            )
            if self.cursor.fetchall()[0][0]:
                present.add(wanted)
        return present

    def create(self) -> None:
        self.cursor.execute(f"create schema if not exists {META_SCHEMA}")
        self.cursor.execute(
            f"create table if not exists {FINGERPRINT_TABLE} (model varchar(256) not null, "
            "rule varchar(256) not null, digest varchar(64) not null, "
            "recorded_at timestamp not null)"
        )

    def recorded(self) -> Fingerprints:
        self.cursor.execute(f"select model, rule, digest from {FINGERPRINT_TABLE}")
        found: Fingerprints = {}
        for model, rule, digest in self.cursor.fetchall():
            found.setdefault(str(model), {})[str(rule)] = str(digest)
        return found

    def apply(self, refresh: Refresh, current: Fingerprints, keep: set[str]) -> None:
        """Drop the refreshed tables, then record the new fingerprints; forget models that
        are no longer incremental (``keep``: the incremental models of the manifest)."""
        cascade = " cascade" if self.cascade else ""
        elsewhere = [t for t in refresh.dropped.values() if t.partition(".")[0] in self.catalogs]
        for table in elsewhere:
            # committed on its own, first: if the build stops before the fingerprints are
            # recorded, the table is missing and the next build creates it whole
            self.cursor.execute(f"drop table if exists {self._name(table)}{cascade}")
        if self.own_transactions:
            self.cursor.execute("begin transaction")
        try:
            for table in refresh.dropped.values():
                if table not in elsewhere:
                    self.cursor.execute(f"drop table if exists {self._name(table)}{cascade}")
            self._record(refresh, current, keep)
        except BaseException:
            if self.own_transactions:
                self.cursor.execute("rollback")
            raise
        if self.own_transactions:
            self.cursor.execute("commit")

    def _record(self, refresh: Refresh, current: Fingerprints, keep: set[str]) -> None:
        rows = []
        for model in refresh.recorded:
            self._forget(model)
            rows += [[model, rule, digest] for rule, digest in sorted(current[model].items())]
        # many rows per statement: DuckDB's executemany runs one statement per row (1.4 s for
        # the 1,200 rules of a first build)
        for start in range(0, len(rows), _ROWS_PER_INSERT):
            chunk = rows[start : start + _ROWS_PER_INSERT]
            values = ", ".join(["(?, ?, ?, current_timestamp)"] * len(chunk))
            self.cursor.execute(
                self._sql(f"insert into {FINGERPRINT_TABLE} values {values}"),
                [value for row in chunk for value in row],
            )
        for model in sorted(set(self.recorded()) - keep):
            self._forget(model)

    def _forget(self, model: str) -> None:
        self.cursor.execute(self._sql(f"delete from {FINGERPRINT_TABLE} where model = ?"), [model])


@contextmanager
def open_store(warehouse: Path, target: str) -> Iterator[Store]:
    """The store of ``target``'s database, in one transaction (committed when the block ends)."""
    if normalize_target(target) == POSTGRES:
        from orchestration.engines.postgres_connection import PostgresSettings

        connection = PostgresSettings.from_environment().connect()
        try:
            with connection.cursor() as cursor:
                yield Store(cursor, "%s", cascade=True)
            connection.commit()
        except BaseException:
            connection.rollback()
            raise
        finally:
            connection.close()
        return
    from orchestration.warehouse import MARTS_DATABASE, attach_marts_for_writing, connect

    with connect(warehouse) as con:
        catalogs = {"marts": MARTS_DATABASE} if attach_marts_for_writing(con, warehouse) else {}
        yield Store(con, "?", cascade=False, catalogs=catalogs, own_transactions=True)


def refresh_changed_rules(
    manifest_source: Path | Manifest,
    project_dir: Path,
    warehouse: Path,
    target: str,
    *,
    full_refresh: bool = False,
    selected: Callable[[Node], bool] = lambda node: True,
    environ: Mapping[str, str] | None = None,
) -> Refresh:
    """Before ``dbt build``: drop the incremental tables whose rules changed (and the
    incremental tables built on them) and record the rules' fingerprints. With
    ``full_refresh`` dbt rebuilds every table anyway: only the fingerprints are recorded.
    ``selected``: the models this build builds (a Dagster subset); the others are left alone.
    ``manifest_source``: the manifest (or its path). One parsed for Spark raises ``ValueError``
    when the build is not on Spark: there no model is incremental, so nothing would be recorded
    and the next build would refresh every incremental table whole. (DuckDB's and PostgreSQL's
    manifests have the same materializations: either plans the other's rules.)"""
    if normalize_target(target) == SPARK:
        return Refresh(skipped="spark: every model is a table, nothing is incremental")
    manifest = (
        json.loads(manifest_source.read_text(encoding="utf-8"))
        if isinstance(manifest_source, Path)
        else manifest_source
    )
    parsed_for = manifest.get("metadata", {}).get("adapter_type")
    if parsed_for == SPARK:
        raise ValueError(
            f"the dbt manifest was parsed for spark, this build runs on {target}: "
            "parse the project for this target first (`funnel build` does)"
        )
    models = incremental_models(manifest)
    if not models:
        return Refresh(skipped="no incremental model")
    current = current_fingerprints(manifest, project_dir, environ)
    with open_store(warehouse, target) as store:
        store.create()
        existing = set() if full_refresh else store.existing(relation(n) for n in models.values())
        refresh = plan_refresh(manifest, current, store.recorded(), existing, selected=selected)
        store.apply(refresh, current, keep={n["name"] for n in models.values()})
    return refresh
