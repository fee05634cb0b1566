"""Ingest every new landed file of one entity, and check that every landed line is accounted for."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from orchestration.ingestion.landed_files import discover
from orchestration.ingestion.loader import FileLoadResult, Loader
from orchestration.ingestion.manifest import BuildStamp
from orchestration.ingestion.raw_tables import MANIFEST_TABLE, REJECTS_TABLE, qualified
from orchestration.landing_contract import Entity
from orchestration.warehouse import connect, drop_old_marts, remove_marts

Progress = Callable[[str], None]


@dataclass
class EntityIngestReport:
    entity: Entity
    results: list[FileLoadResult] = field(default_factory=list)
    accounting_problems: list[str] = field(default_factory=list)

    def _count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def files_loaded(self) -> int:
        return self._count("loaded")

    @property
    def files_skipped(self) -> int:
        return self._count("skipped")

    @property
    def files_rejected(self) -> int:
        return self._count("rejected")

    @property
    def rows_loaded(self) -> int:
        return sum(r.rows_loaded for r in self.results)

    @property
    def rows_rejected(self) -> int:
        return sum(r.rows_rejected for r in self.results)

    @property
    def row_reject_examples(self) -> list[str]:
        """The first rejected rows of each loaded file, as "<file>: line <n>: <reason>"."""
        return [m for r in self.results for m in r.reject_examples]

    @property
    def rejected_file_messages(self) -> list[str]:
        return [r.message or r.relative_path for r in self.results if r.status == "rejected"]


def accounting_problems(con: duckdb.DuckDBPyConnection, entity: Entity) -> list[str]:
    """Files whose data lines are not all loaded or rejected (should always be empty)."""
    rows = con.execute(
        f"""
        with loaded as (
            select _file_hash as file_hash, count(*) as n
            from {qualified(entity)} group by all
        ),
        rejected as (
            select file_hash, sum(lines_spanned) as n
            from {REJECTS_TABLE} where entity = ? group by all
        )
        select m.source_file, m.rows_in, coalesce(l.n, 0), coalesce(r.n, 0),
            m.continuation_lines
        from {MANIFEST_TABLE} as m
        left join loaded as l using (file_hash)
        left join rejected as r using (file_hash)
        where m.entity = ? and m.status in ('loaded', 'rejected') and m.file_hash is not null
            and m.rows_in != coalesce(l.n, 0) + coalesce(r.n, 0) + m.continuation_lines
        order by m.source_file
        """,
        [entity.path, entity.path],
    ).fetchall()
    return [
        f"{f}: {rows_in} lines in, {loaded} loaded + {rejected} rejected "
        f"+ {cont} continuation lines"
        for f, rows_in, loaded, rejected, cont in rows
    ]


def ingest_entity(
    warehouse: Path,
    landing: Path,
    entity: Entity,
    progress: Progress | None = None,
    run_id: str | None = None,
) -> EntityIngestReport:
    """Load every file of ``entity`` not loaded before; one transaction per file.

    ``run_id`` names the build in the manifest (the Dagster run; a fresh id when None).
    """
    # list(): run the generator to its end, so the connection is closed on return
    (report,) = list(ingest_entities(warehouse, landing, [entity], progress, run_id))
    return report


def ingest_entities(
    warehouse: Path,
    landing: Path,
    entities: Sequence[Entity],
    progress: Progress | None = None,
    run_id: str | None = None,
) -> Iterator[EntityIngestReport]:
    """``ingest_entity`` for each of ``entities`` in turn, through one connection to the
    warehouse (opening it costs about 0.1 s, once per build instead of once per entity); one
    report per entity, yielded when its files are done. Every manifest row of the call carries
    the same build stamp."""
    say = progress or (lambda _message: None)
    if not warehouse.exists():
        # a new warehouse starts without marts: the marts file of an old one would keep its
        # incremental marts' rows
        remove_marts(warehouse)
    with connect(warehouse) as con:
        drop_old_marts(con)
        loader = Loader(con, BuildStamp.now(run_id))
        for entity in entities:
            yield _ingest(loader, landing, entity, say)


def _ingest(loader: Loader, landing: Path, entity: Entity, say: Progress) -> EntityIngestReport:
    report = EntityIngestReport(entity)
    files = discover(landing, entity)
    loader.ensure_table(entity)
    for number, landed in enumerate(files, start=1):
        result = loader.load(landed)
        report.results.append(result)
        if result.status == "loaded":
            say(
                f"[{entity.path}] {number}/{len(files)} {landed.relative_path}: "
                f"{result.rows_loaded} rows loaded, {result.rows_rejected} rejected"
            )
            if result.message:
                say(f"[{entity.path}]   note: {result.message}")
            for example in result.reject_examples:
                say(f"[{entity.path}]   rejected {example}")
        elif result.status == "rejected":
            say(f"[{entity.path}] {number}/{len(files)} REJECTED {result.message}")
    report.accounting_problems = accounting_problems(loader.con, entity)
    if not files:
        say(f"[{entity.path}] no files in {entity.path}/")
    elif report.files_skipped == len(files):
        say(f"[{entity.path}] {len(files)} file(s), all loaded before")
    return report
