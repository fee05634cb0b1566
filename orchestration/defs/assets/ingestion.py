"""One Dagster asset per landed entity (new files of ``<source>/<entity>/`` loaded into raw) and
one for the landing folder's inventory, all materialised by one step: ``raw_ingestion``."""

import logging
from collections.abc import Collection, Iterator
from pathlib import Path

import dagster as dg

from orchestration.defs.pools import WAREHOUSE_WRITER_POOL
from orchestration.defs.resources import WarehousePaths
from orchestration.ingestion.ingest import EntityIngestReport, ingest_entities
from orchestration.ingestion.landing_inventory import record_landing_inventory
from orchestration.landed_entities import LANDED_ENTITIES
from orchestration.landing_contract import Entity

progress_log = logging.getLogger("funnel.progress")

ROWS_ACCOUNTED_CHECK = "every_landed_row_accounted_for"


def raw_asset_key(entity: Entity) -> dg.AssetKey:
    """raw/<source>/<entity> (a native object in snake_case: raw/salesforce/opportunity_history),
    the key the dbt source of the same name maps to."""
    return dg.AssetKey(["raw", entity.source, entity.table_name])


def _metadata(report: EntityIngestReport) -> dict[str, object]:
    return {
        "files_loaded": report.files_loaded,
        "files_skipped": report.files_skipped,
        "files_rejected": report.files_rejected,
        "rows_loaded": report.rows_loaded,
        "rows_rejected": report.rows_rejected,
        "rejected_files": dg.MetadataValue.md(
            "\n".join(f"- {m}" for m in report.rejected_file_messages) or "none"
        ),
    }


def _entity_spec(entity: Entity) -> dg.AssetSpec:
    return dg.AssetSpec(
        raw_asset_key(entity),
        group_name="raw",
        description=f"{entity.description} Append-only: every landed file of "
        f"`{entity.path}/` loaded once (by content hash), with file, line and load time.",
        kinds={"duckdb"},
        # a subset of the raw assets can be materialised (the UI's "materialize selected")
        skippable=True,
    )


def _entity_check(entity: Entity) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        ROWS_ACCOUNTED_CHECK,
        asset=raw_asset_key(entity),
        description="Per file: data lines = rows loaded + rows rejected "
        "(+ continuation lines of multi-line records).",
    )


def _entity_result(
    report: EntityIngestReport, checks: Collection[dg.AssetCheckKey]
) -> dg.MaterializeResult:
    key = raw_asset_key(report.entity)
    check = dg.AssetCheckResult(
        asset_key=key,
        check_name=ROWS_ACCOUNTED_CHECK,
        passed=not report.accounting_problems,
        metadata={"problems": "\n".join(report.accounting_problems) or "none"},
    )
    return dg.MaterializeResult(
        asset_key=key,
        metadata=_metadata(report),
        check_results=[check] if dg.AssetCheckKey(key, ROWS_ACCOUNTED_CHECK) in checks else [],
    )


LANDING_FILES_KEY = dg.AssetKey(["raw", "landing_files"])
FILES_RECOGNISED_CHECK = "every_landed_file_recognised"


LANDING_FILES_SPEC = dg.AssetSpec(
    LANDING_FILES_KEY,
    group_name="raw",
    description="Every file under the landing folder that no entity loads: ignored temp, lock "
    "and hidden files, and unrecognised files (wrong folder, unknown extension), recorded in "
    "raw._load_manifest with the reason.",
    kinds={"duckdb"},
    skippable=True,
)
LANDING_FILES_CHECK = dg.AssetCheckSpec(
    FILES_RECOGNISED_CHECK,
    asset=LANDING_FILES_KEY,
    description="Warns when a file under the landing folder is neither an entity's "
    "file nor ignored by a documented pattern: it is not loaded.",
)


def _landing_files(
    warehouse: Path, landing: Path, run_id: str, log: logging.Logger | dg.DagsterLogManager
) -> dg.MaterializeResult:
    inventory = record_landing_inventory(warehouse, landing, run_id=run_id)
    for line in inventory.lines("unrecognised"):
        log.warning(f"unrecognised landed file {line}")
        progress_log.warning(f"[landing] UNRECOGNISED {line}")
    unrecognised = "\n".join(f"- {line}" for line in inventory.lines("unrecognised")) or "none"
    return dg.MaterializeResult(
        asset_key=LANDING_FILES_KEY,
        metadata={
            "entity_files": inventory.entity_files,
            "ignored": len(inventory.ignored),
            "unrecognised": len(inventory.unrecognised),
            "unrecognised_files": dg.MetadataValue.md(unrecognised),
        },
        check_results=[
            dg.AssetCheckResult(
                asset_key=LANDING_FILES_KEY,
                check_name=FILES_RECOGNISED_CHECK,
                passed=not inventory.unrecognised,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={"unrecognised_files": dg.MetadataValue.md(unrecognised)},
            )
        ],
    )


@dg.multi_asset(
    name="raw_ingestion",
    specs=[*(_entity_spec(e) for e in LANDED_ENTITIES), LANDING_FILES_SPEC],
    check_specs=[*(_entity_check(e) for e in LANDED_ENTITIES), LANDING_FILES_CHECK],
    can_subset=True,
    pool=WAREHOUSE_WRITER_POOL,
)
def raw_ingestion(
    context: dg.AssetExecutionContext, paths: WarehousePaths
) -> Iterator[dg.MaterializeResult]:
    """Every selected landed entity's new files into raw, then the landing folder's inventory.

    One Dagster step and one warehouse connection for all of them: a step and a connection per
    entity cost about 0.2 s each even when nothing landed (BENCHMARKS.md, "Less fixed cost").
    An entity with a rejected file is not materialised; the others are, and the step then fails
    naming every rejected file, so nothing downstream runs. A failure of the machine rather than
    of a file (out of memory, an interrupt) stops the step at once: the file being loaded is
    rolled back, the entities after it wait for the next build, which loads them (before, only
    that entity's step failed and the later entities loaded the same night).
    """

    def say(message: str) -> None:
        context.log.info(message)
        progress_log.info(message)

    selected = context.selected_asset_keys
    entities = [e for e in LANDED_ENTITIES if raw_asset_key(e) in selected]
    warehouse, landing = Path(paths.warehouse), Path(paths.landing_dir)
    failed: list[EntityIngestReport] = []
    for report in ingest_entities(warehouse, landing, entities, say, run_id=context.run.run_id):
        if report.rejected_file_messages:
            # the entity's other files are loaded and committed; failing makes it seen
            failed.append(report)
        else:
            yield _entity_result(report, context.selected_asset_check_keys)
    if LANDING_FILES_KEY in selected:
        yield _landing_files(warehouse, landing, context.run.run_id, context.log)
    if failed:
        messages = [m for report in failed for m in report.rejected_file_messages]
        raise dg.Failure(
            description=f"{len(messages)} file(s) of "
            f"{', '.join(report.entity.path for report in failed)} rejected:\n"
            + "\n".join(messages),
            metadata={
                f"{report.entity.path}: {name}": value
                for report in failed
                for name, value in _metadata(report).items()
            },
        )


raw_assets: list[dg.AssetsDefinition] = [raw_ingestion]
