"""One Dagster asset per landed entity: load new files of ``<source>/<entity>/`` into raw."""

import logging
from pathlib import Path

import dagster as dg

from orchestration.defs.pools import WAREHOUSE_WRITER_POOL
from orchestration.defs.resources import WarehousePaths
from orchestration.ingestion.ingest import EntityIngestReport, ingest_entity
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


def build_raw_asset(entity: Entity) -> dg.AssetsDefinition:
    key = raw_asset_key(entity)

    @dg.asset(
        key=key,
        group_name="raw",
        description=f"{entity.description} Append-only: every landed file of "
        f"`{entity.path}/` loaded once (by content hash), with file, line and load time.",
        kinds={"duckdb"},
        pool=WAREHOUSE_WRITER_POOL,
        check_specs=[
            dg.AssetCheckSpec(
                ROWS_ACCOUNTED_CHECK,
                asset=key,
                description="Per file: data lines = rows loaded + rows rejected "
                "(+ continuation lines of multi-line records).",
            )
        ],
    )
    def _raw_asset(
        context: dg.AssetExecutionContext, paths: WarehousePaths
    ) -> dg.MaterializeResult:
        def say(message: str) -> None:
            context.log.info(message)
            progress_log.info(message)

        report = ingest_entity(
            Path(paths.warehouse), Path(paths.landing_dir), entity, say, run_id=context.run.run_id
        )
        if report.rejected_file_messages:
            # the other files are loaded and committed; fail so the problem is seen
            raise dg.Failure(
                description=f"{len(report.rejected_file_messages)} file(s) of {entity.path} "
                "rejected:\n" + "\n".join(report.rejected_file_messages),
                metadata=_metadata(report),
            )
        return dg.MaterializeResult(
            metadata=_metadata(report),
            check_results=[
                dg.AssetCheckResult(
                    check_name=ROWS_ACCOUNTED_CHECK,
                    passed=not report.accounting_problems,
                    metadata={"problems": "\n".join(report.accounting_problems) or "none"},
                )
            ],
        )

    return _raw_asset


LANDING_FILES_KEY = dg.AssetKey(["raw", "landing_files"])
FILES_RECOGNISED_CHECK = "every_landed_file_recognised"


@dg.asset(
    key=LANDING_FILES_KEY,
    group_name="raw",
    description="Every file under the landing folder that no entity loads: ignored temp, lock "
    "and hidden files, and unrecognised files (wrong folder, unknown extension), recorded in "
    "raw._load_manifest with the reason.",
    kinds={"duckdb"},
    pool=WAREHOUSE_WRITER_POOL,
    check_specs=[
        dg.AssetCheckSpec(
            FILES_RECOGNISED_CHECK,
            asset=LANDING_FILES_KEY,
            description="Warns when a file under the landing folder is neither an entity's "
            "file nor ignored by a documented pattern: it is not loaded.",
        )
    ],
)
def landing_files(context: dg.AssetExecutionContext, paths: WarehousePaths) -> dg.MaterializeResult:
    inventory = record_landing_inventory(
        Path(paths.warehouse), Path(paths.landing_dir), run_id=context.run.run_id
    )
    for line in inventory.lines("unrecognised"):
        context.log.warning(f"unrecognised landed file {line}")
        progress_log.warning(f"[landing] UNRECOGNISED {line}")
    unrecognised = "\n".join(f"- {line}" for line in inventory.lines("unrecognised")) or "none"
    return dg.MaterializeResult(
        metadata={
            "entity_files": inventory.entity_files,
            "ignored": len(inventory.ignored),
            "unrecognised": len(inventory.unrecognised),
            "unrecognised_files": dg.MetadataValue.md(unrecognised),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name=FILES_RECOGNISED_CHECK,
                passed=not inventory.unrecognised,
                severity=dg.AssetCheckSeverity.WARN,
                metadata={"unrecognised_files": dg.MetadataValue.md(unrecognised)},
            )
        ],
    )


raw_assets: list[dg.AssetsDefinition] = [
    *(build_raw_asset(e) for e in LANDED_ENTITIES),
    landing_files,
]
