"""Shared fixtures. Tests use real DuckDB, dbt and Dagster in temporary folders."""

from __future__ import annotations

import os
import shutil
from functools import cache
from pathlib import Path

import pytest

from tests.build_files import open_read_only

os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("DAGSTER_DISABLE_TELEMETRY", "1")


# -- two workers (pytest-xdist, `--dist loadgroup`): tests/worker_groups.py ---------------------


def pytest_configure(config: pytest.Config) -> None:
    """Keep the worker_groups order: xdist would hand out the groups with most tests first."""
    if config.getoption("dist", "no") == "loadgroup":
        config.option.loadscopereorder = False


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    """Under ``--dist loadgroup``, schedule whole groups of files (tests/worker_groups.py)."""
    if config.getvalue("dist") != "loadgroup":
        return None
    from tests.worker_groups import GroupsOfFiles

    return GroupsOfFiles(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """On a worker (xdist sets its ``loadgroup`` flag there): check the groups, longest first."""
    if not getattr(config.option, "loadgroup", False):
        return
    from tests.worker_groups import longest_first, misgrouped

    if wrong := misgrouped(items):
        raise pytest.UsageError("\n".join(wrong))
    longest_first(items)


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    folder.mkdir()
    return folder


@pytest.fixture
def warehouse(tmp_path: Path) -> Path:
    return tmp_path / "warehouse" / "funnel.duckdb"


def write_landed(landing: Path, entity_path: str, name: str, text: str | bytes) -> Path:
    """Write a landed file under ``<landing>/<source>/<entity>/<name>``."""
    target = landing / entity_path / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")
    return target


# -- a whole build of a generated sample, shared by the end-to-end and oracle tests ----------

SAMPLE_LEADS = 1500
SAMPLE_SEED = 7


class SampleBuild:
    """A generated landing folder and the warehouse that one full Dagster run built from it."""

    def __init__(self, landing: Path, warehouse: Path, result: object) -> None:
        self.landing = landing
        self.warehouse = warehouse
        self.result = result

    def query(self, sql: str, params: list | None = None) -> list[tuple]:

        with open_read_only(self.warehouse) as con:
            return con.execute(sql, params or []).fetchall()


def parse_for_this_worker() -> Path:
    """Parse the dbt project for the default DuckDB build; its manifests go to target/. Each
    xdist worker parses in a partial-parse folder of its own (the folder is keyed by the
    warehouse path, and the file is never opened), so two workers never write one folder. The
    file keeps its name: the manifest's database is the file's stem (`funnel docs` attaches
    the warehouse under it)."""
    from orchestration.dbt_project import parse_project
    from orchestration.settings import warehouse_path

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    default = warehouse_path()
    return parse_project(default.parent / f"tests-{worker}" / default.name if worker else None)


@cache
def parse_dbt_project() -> Path:
    """Parse the dbt project once per test session (the models may have changed)."""
    return parse_for_this_worker()


def materialize_everything(landing: Path, warehouse: Path):
    """Run the nightly_build job (ingestion, seeds, models, dbt tests as checks, publishing)
    in-process on a temporary Dagster instance; the serving file goes to ``../serving``."""
    import dagster as dg

    from orchestration.runner.nightly import execute_nightly_build, nightly_build_run_config

    parse_dbt_project()
    serving = warehouse.parent.parent / "serving"
    run_config = nightly_build_run_config(landing, warehouse, serving, log_level="WARNING")
    with dg.DagsterInstance.ephemeral() as instance:
        return execute_nightly_build(instance, run_config)


@pytest.fixture(scope="session")
def dbt_manifest() -> Path:
    return parse_dbt_project()


@pytest.fixture(scope="session")
def sample_build(tmp_path_factory: pytest.TempPathFactory, dbt_manifest: Path) -> SampleBuild:
    from orchestration.sample_data import generate_landing

    root = tmp_path_factory.mktemp("sample_build")
    landing = root / "landing"
    warehouse = root / "warehouse" / "funnel.duckdb"
    generate_landing(landing, leads=SAMPLE_LEADS, seed=SAMPLE_SEED)
    result = materialize_everything(landing, warehouse)
    return SampleBuild(landing, warehouse, result)


@pytest.fixture(scope="session")
def canonical_world(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The CRM oracles' world (tests/native_equivalence.py WORLD) landed as canonical files and
    built once: (landing folder, warehouse). The Salesforce and HubSpot oracles compare with it."""
    from orchestration.sample_data import generate_landing
    from tests.native_equivalence import AS_OF, WORLD, build_world

    root = tmp_path_factory.mktemp("canonical_world")
    landing = root / "landing"
    generate_landing(landing, **WORLD)
    return landing, build_world(root, landing, {"FUNNEL_AS_OF_DATE": AS_OF})


@pytest.fixture(scope="session")
def mixed_world(
    tmp_path_factory: pytest.TempPathFactory, canonical_world: tuple[Path, Path]
) -> Path:
    """The CRM oracles' canonical world plus both hand-made native orgs in one landing folder
    (the Salesforce Data Export of tests/salesforce_fixture.py and the HubSpot dump of
    tests/fixtures/hubspot_dump), built once: its warehouse. The Salesforce and the HubSpot
    oracle each assert that the canonical funnel rows stay the canonical build's and that their
    own org's entities join them (one build for both, where each used to build its own mix)."""
    from tests.native_equivalence import AS_OF, build_world
    from tests.salesforce_fixture import write_data_export

    canonical_landing, _ = canonical_world
    root = tmp_path_factory.mktemp("mixed_world")
    landing = root / "landing"
    shutil.copytree(canonical_landing, landing)
    write_data_export(landing)
    shutil.copytree(Path(__file__).parent / "fixtures" / "hubspot_dump", landing / "hubspot")
    return build_world(root, landing, {"FUNNEL_AS_OF_DATE": AS_OF})
