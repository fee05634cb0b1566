"""The dbt project as Dagster assets: models and seeds as assets, dbt tests as asset checks."""

import json
import os
import uuid
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import (
    DagsterDbtTranslator,
    DagsterDbtTranslatorSettings,
    DbtCliResource,
    dbt_assets,
)

from orchestration.dbt_project import current_parse_of, dbt_project
from orchestration.defs.assets.ingestion import progress_log
from orchestration.defs.dbt_cli import file_log_level
from orchestration.defs.invocation_folders import prune_invocation_folders
from orchestration.defs.pools import WAREHOUSE_WRITER_POOL
from orchestration.defs.resources import Engine, WarehousePaths
from orchestration.engines.handover import hand_over_raw
from orchestration.parse_state import restore_state, save_state
from orchestration.rule_fingerprints import refresh_changed_rules


class FunnelDbtTranslator(DagsterDbtTranslator):
    """dbt sources become the raw ingestion assets; models are grouped by layer."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            # source crm.leads -> the ingestion asset raw/crm/leads
            return dg.AssetKey(
                ["raw", dbt_resource_props["source_name"], dbt_resource_props["name"]]
            )
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        if dbt_resource_props["resource_type"] == "seed":
            return "seeds"
        fqn = dbt_resource_props.get("fqn", [])
        # fqn = [project, layer, ...folders, name]
        return fqn[1] if len(fqn) > 2 else "dbt"


class DbtBuildConfig(dg.Config):
    """Run configuration of the dbt step."""

    #: rebuild incremental models from all of raw (``dbt build --full-refresh``): needed after
    #: a change to an incremental model's SQL; a normal night never needs it
    full_refresh: bool = False


#: the op of the dbt assets, whatever manifest they are made from: its run config is keyed by it
DBT_OP_NAME = "funnel_dbt_assets"

translator = FunnelDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True))


def funnel_dbt_assets(manifest_path: Path | None = None) -> dg.AssetsDefinition:
    """The dbt assets of a manifest: ``funnel build`` passes its warehouse's own parse (the
    native systems it left out are not in it: orchestration/idle_systems.py); by default
    target/manifest.json, as ``dagster dev`` loads it. Built once per manifest file version."""
    path = manifest_path or dbt_project().manifest_path
    return _dbt_assets_of(*manifest_version(path))


def manifest_version(path: Path) -> tuple[Path, int, int]:
    """A manifest file and its modification time and size: a cache key that changes when a
    parse rewrites it."""
    stat = path.stat()
    return path.resolve(), stat.st_mtime_ns, stat.st_size


@cache
def _dbt_assets_of(path: Path, _mtime_ns: int, _size: int) -> dg.AssetsDefinition:
    project = dbt_project()
    # read once: another parse may replace the file while this process runs (target/manifest.json
    # is shared by every build from this checkout)
    manifest = json.loads(path.read_text(encoding="utf-8"))

    @dbt_assets(
        name=DBT_OP_NAME,
        manifest=manifest,
        dagster_dbt_translator=translator,
        project=project,
        pool=WAREHOUSE_WRITER_POOL,
    )
    def funnel_dbt_assets(
        context: dg.AssetExecutionContext,
        dbt: DbtCliResource,
        paths: WarehousePaths,
        engine: Engine,
        config: DbtBuildConfig,
    ) -> Iterator[Any]:
        """``dbt build`` of the selected models, seeds and data tests against the warehouse."""
        # profiles.yml reads the warehouse path from the environment of the dbt process,
        # which dagster-dbt copies from this one
        os.environ["FUNNEL_WAREHOUSE"] = paths.warehouse
        # dbt unit tests check SQL logic on fixed fixtures, not the night's data: they run in
        # the test suite (tests/test_dbt_unit_tests.py), not in every nightly build
        command = ["build", "--exclude-resource-type", "unit_test", "--target", engine.name]
        # issue 15: another engine reads raw from its own raw schema, copied from DuckDB's
        hand_over_raw(Path(paths.warehouse), engine.name, progress_log.info)
        if config.full_refresh:
            command.append("--full-refresh")
        # issue 17: an incremental model whose seeds or vars changed is dropped here, so this
        # build creates it whole (orchestration/rule_fingerprints.py)
        selected = context.selected_asset_keys
        # the rules come from this warehouse's own parse when it is current (`funnel build`
        # parses just before), else from the manifest these assets were defined with
        warehouse = Path(paths.warehouse)
        refresh = refresh_changed_rules(
            current_parse_of(warehouse, engine.name) or manifest,
            dbt_project().project_dir,
            warehouse,
            engine.name,
            full_refresh=config.full_refresh,
            selected=lambda node: translator.get_asset_key(node) in selected,
        )
        for line in refresh.lines():
            progress_log.info(line)
            context.log.info(line)
        built = checked = 0
        progress_log.info(f"[dbt] dbt {' '.join(command)} ...")
        # the invocation's own target folder (as dagster-dbt names it), started from this
        # warehouse's partial-parse state and saving it back: a new path elsewhere never makes
        # this warehouse's next build re-parse the project (orchestration/parse_state.py)
        target_dir = dbt_project().project_dir / "target" / invocation_folder(context)
        restore_state(warehouse, target_dir, engine.name)
        try:
            with file_log_level():
                invocation = dbt.cli(command, context=context, target_path=target_dir)
            for event in invocation.stream():
                if isinstance(event, dg.Output | dg.AssetMaterialization):
                    built += 1
                    progress_log.info(f"[dbt] built {event_key(event)} ({built})")
                elif isinstance(event, dg.AssetCheckResult):
                    checked += 1
                    if not event.passed:
                        progress_log.warning(f"[dbt] test FAILED: {event.check_name}")
                yield event
        finally:
            # a failed test leaves the parse as good as a pass does
            save_state(warehouse, target_dir, engine.name)
            if removed := prune_invocation_folders(target_dir.parent):
                progress_log.info(
                    f"[dbt] removed {len(removed)} old invocation folder(s) of target/"
                )
        progress_log.info(f"[dbt] {built} models/seeds built, {checked} tests run")

    return funnel_dbt_assets


def dbt_run_config(full_refresh: bool) -> dict[str, dg.Config]:
    """The ``ops`` part of a run config that sets the dbt step's options."""
    # by name: a build's manifest is its warehouse's own parse, and target/manifest.json may not
    # exist (a parse that left idle native systems out is not copied there)
    return {DBT_OP_NAME: DbtBuildConfig(full_refresh=full_refresh)}


def invocation_folder(context: dg.AssetExecutionContext) -> str:
    """A folder name unique to this dbt invocation, as dagster-dbt's own:
    ``<op>-<run id[:7]>-<random>`` (the benchmark finds a run's artifacts by it)."""
    op_name = context.op_execution_context.op.name
    return f"{op_name}-{context.run.run_id[:7]}-{uuid.uuid4().hex[:7]}"


def event_key(event: dg.Output | dg.AssetMaterialization) -> str:
    if isinstance(event, dg.AssetMaterialization):
        return event.asset_key.to_user_string()
    return event.output_name
