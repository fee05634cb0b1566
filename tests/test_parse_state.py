"""dbt's partial-parse state is kept per warehouse (orchestration/parse_state.py): building
another warehouse from the same checkout no longer makes the next build of this one re-parse
the whole project; and a parse whose inputs did not change is skipped
(orchestration/parse_inputs.py). Real ``dbt parse`` runs (``parse_project``, as ``funnel build``
calls it)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from orchestration.dbt_project import dbt_executable, parse_project
from orchestration.parse_inputs import DIGEST_FILE, parse_inputs_digest
from orchestration.parse_state import PARTIAL_PARSE_FILE, parse_state_dir
from orchestration.settings import PROJECT_DIR
from orchestration.warehouse import MARTS_DATABASE
from tests.conftest import parse_for_this_worker

FULL = "Unable to do partial parsing"


@pytest.fixture(scope="module", autouse=True)
def restore_the_default_manifest() -> Iterator[None]:
    """These parses copy manifests of other databases (and of the spark target) to target/,
    where `mf` and the definitions read them: parse the default build again afterwards."""
    yield
    parse_for_this_worker()


def parse(warehouse: Path, capfd: pytest.CaptureFixture[str]) -> str:
    capfd.readouterr()
    manifest = parse_project(warehouse, quiet=False, say=print)
    output = capfd.readouterr().out
    # the definitions read the manifest of the last parse, with this warehouse's database (and
    # the marts file's, on DuckDB)
    nodes = json.loads(manifest.read_text())["nodes"].values()
    databases = {node["database"] for node in nodes if node["resource_type"] == "model"}
    assert databases - {MARTS_DATABASE} == {warehouse.stem}
    return output


def test_a_warehouse_keeps_its_partial_parse_state_across_other_builds(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    first = tmp_path / "one" / "nightly.duckdb"
    # a file name no other parse used (a state of the same file name would seed this one)
    other = tmp_path / "two" / f"other_{uuid.uuid4().hex[:8]}.duckdb"
    assert parse_state_dir(first) != parse_state_dir(other)

    parse(first, capfd)  # a new warehouse: a full parse (or partial, if state was left over)
    assert (parse_state_dir(first) / PARTIAL_PARSE_FILE).exists()
    assert FULL in parse(other, capfd)  # a path never parsed before has no state of its own

    # a variable no model reads: the parse runs (its inputs differ) but dbt's state still holds
    monkeypatch.setenv("FUNNEL_PARSE_TEST_NONCE", "1")
    again = parse(first, capfd)

    assert "parsing the dbt project" in again and FULL not in again
    # dbt's own account of the parse: no file of the project parsed again
    perf = json.loads((parse_state_dir(first) / "perf_info.json").read_text())
    assert perf["is_partial_parse_enabled"] and perf["parsed_path_count"] == 0
    # neither warehouse file was opened
    assert not first.exists() and not other.exists()


def test_the_build_after_a_warehouse_s_first_parse_parses_partially(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    """The dbt step starts from the state `funnel build` parsed just before and runs with
    `--target <engine>`. dbt keeps a state only for the same --target argument: a parse without
    it made every warehouse's first build parse the whole project twice."""
    from orchestration.parse_state import restore_state

    warehouse = tmp_path / "warehouse" / "first.duckdb"
    parse(warehouse, capfd)
    invocation = tmp_path / "invocation"
    assert restore_state(warehouse, invocation)
    shutil.copy(parse_state_dir(warehouse) / "manifest.json", invocation / "manifest.json")
    env = {**os.environ, "FUNNEL_WAREHOUSE": str(warehouse)}
    command = [dbt_executable(), "ls", "--target", "duckdb", "--select", "fct_funnel"]
    command += ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    listed = subprocess.run(
        [*command, "--target-path", str(invocation)],
        env=env,
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "fct_funnel" in listed.stdout
    assert FULL not in listed.stdout + listed.stderr


def test_a_spark_build_parses_without_its_folder_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`funnel build --target spark` parses before the handover sets FUNNEL_SPARK_DIR: the parse
    takes the default folder (next to the warehouse) itself, where it used to fail."""
    from orchestration.engines.spark_settings import SPARK_DIR_VARIABLE
    from orchestration.engines.targets import TARGET_VARIABLE

    monkeypatch.setenv(TARGET_VARIABLE, "spark")
    monkeypatch.delenv(SPARK_DIR_VARIABLE, raising=False)
    warehouse = tmp_path / "warehouse" / "funnel.duckdb"
    manifest = json.loads(parse_project(warehouse).read_text())
    models = [n for n in manifest["nodes"].values() if n["resource_type"] == "model"]
    assert {n["config"]["materialized"] for n in models} <= {"table", "view"}
    assert not warehouse.exists()


def test_a_parse_whose_inputs_did_not_change_is_skipped(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    warehouse = tmp_path / "warehouse" / "funnel.duckdb"
    state = parse_state_dir(warehouse)
    first = parse(warehouse, capfd)  # parsed, or reused from another funnel.duckdb's parse
    assert "parsing the dbt project" in first or "same inputs reused: no parse" in first
    parsed = (state / "manifest.json").stat().st_mtime_ns
    assert (state / DIGEST_FILE).exists()
    parse(tmp_path / "other" / "funnel.duckdb", capfd)  # target/ now holds the other's manifest

    second = parse(warehouse, capfd)  # (parse() checks target/ names this warehouse again)

    assert "parse skipped" in second and "parsing the dbt project" not in second
    assert (state / "manifest.json").stat().st_mtime_ns == parsed  # dbt did not run


def _without_timestamps(value: object) -> object:
    """A manifest without what differs between two parses of the same project (when, and the
    invocation's metadata)."""
    if isinstance(value, dict):
        drop = {"created_at", "metadata"}
        return {k: _without_timestamps(v) for k, v in value.items() if k not in drop}
    if isinstance(value, list):
        return [_without_timestamps(v) for v in value]
    return value


def _full_parse(warehouse: Path, folder: Path) -> dict:
    """The manifest of a full parse for ``warehouse``, in a target folder of its own."""
    command = [dbt_executable(), "parse", "--target", "duckdb", "--quiet"]
    command += ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    subprocess.run(
        [*command, "--target-path", str(folder)],
        env={**os.environ, "FUNNEL_WAREHOUSE": str(warehouse)},
        cwd=PROJECT_DIR,
        check=True,
    )
    return json.loads((folder / "manifest.json").read_text())


def _dbt_ls_output(warehouse: Path, invocation: Path) -> str:
    """What `dbt ls` says when started from ``warehouse``'s saved state, as the dbt step does."""
    from orchestration.parse_state import restore_state

    assert restore_state(warehouse, invocation)
    command = [dbt_executable(), "ls", "--target", "duckdb", "--select", "fct_funnel"]
    command += ["--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)]
    listed = subprocess.run(
        [*command, "--target-path", str(invocation)],
        env={**os.environ, "FUNNEL_WAREHOUSE": str(warehouse)},
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "fct_funnel" in listed.stdout
    return listed.stdout + listed.stderr


def test_a_new_warehouse_s_first_parse_reuses_another_of_its_name(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """dbt parses in full when the profile changed, and the DuckDB profile names the warehouse
    path. A new path starts from the state of another warehouse of the same file name, its
    profile fingerprint replaced (orchestration/parse_seed.py): parsed from the same inputs, no
    parse runs at all; from other inputs, dbt parses partially. Both manifests are the ones a
    full parse writes, and the dbt step started from the seeded state does not parse again."""
    name = f"seeded_{uuid.uuid4().hex[:8]}.duckdb"
    first, second, third = (tmp_path / folder / name for folder in ("one", "two", "three"))
    assert FULL in parse(first, capfd)  # no state of this file name anywhere yet

    same_inputs = parse(second, capfd)

    assert "from the same inputs reused: no parse" in same_inputs
    assert "parsing the dbt project" not in same_inputs
    seeded = json.loads((parse_state_dir(second) / "manifest.json").read_text())
    full = _full_parse(second, tmp_path / "full-two")
    assert _without_timestamps(seeded) == _without_timestamps(full)
    assert FULL not in _dbt_ls_output(second, tmp_path / "invocation-two")

    # another input (a variable no model reads): dbt parses, partially, from the seeded state
    monkeypatch.setenv("FUNNEL_PARSE_TEST_NONCE", uuid.uuid4().hex)
    other_inputs = parse(third, capfd)

    assert "reused: dbt parses what differs" in other_inputs and FULL not in other_inputs
    perf = json.loads((parse_state_dir(third) / "perf_info.json").read_text())
    assert perf["is_partial_parse_enabled"] and perf["parsed_path_count"] == 0
    seeded = json.loads((parse_state_dir(third) / "manifest.json").read_text())
    full = _full_parse(third, tmp_path / "full-three")
    assert _without_timestamps(seeded) == _without_timestamps(full)
    assert FULL not in _dbt_ls_output(third, tmp_path / "invocation-three")
    assert not any(path.exists() for path in (first, second, third))


def test_a_state_parsed_with_another_profile_is_not_reused(
    tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The other warehouse's state was parsed with another memory limit (part of the profile):
    its fingerprint is not the one recomputed from its path today, so nothing is seeded and dbt
    parses in full, as it must."""
    name = f"unseeded_{uuid.uuid4().hex[:8]}.duckdb"
    monkeypatch.setenv("FUNNEL_DUCKDB_MEMORY_LIMIT", "2400MB")
    parse(tmp_path / "one" / name, capfd)
    monkeypatch.setenv("FUNNEL_DUCKDB_MEMORY_LIMIT", "2500MB")

    output = parse(tmp_path / "two" / name, capfd)

    assert "not reused: its profile differs" in output and FULL in output


def _copy_of_the_project(destination: Path) -> Path:
    for name in ("dbt_project.yml", "profiles.yml"):
        shutil.copy(PROJECT_DIR / name, destination / name)
    for name in ("models", "macros", "seeds", "data-tests"):
        shutil.copytree(PROJECT_DIR / name, destination / name)
    return destination


def test_the_parse_inputs_digest_sees_every_input(tmp_path: Path) -> None:
    project = _copy_of_the_project(tmp_path)
    env = {"FUNNEL_WAREHOUSE": "a.duckdb", "PATH": "/bin"}
    base = parse_inputs_digest(project, env)
    assert parse_inputs_digest(project, dict(env)) == base  # deterministic

    # what dbt does not read leaves it alone
    (project / "README.md").write_text("notes")
    (project / "target").mkdir()
    (project / "target" / "run_results.json").write_text("{}")
    assert parse_inputs_digest(project, {**env, "PATH": "/usr/bin", "HOME": "/x"}) == base

    changed = {
        "the warehouse path": parse_inputs_digest(project, {**env, "FUNNEL_WAREHOUSE": "b.duckdb"}),
        "a DBT_ variable": parse_inputs_digest(project, {**env, "DBT_TARGET_PATH": "t"}),
    }
    model = next((project / "models").rglob("*.sql"))
    model.write_text(model.read_text() + "\n-- edited\n")
    changed["an edited model"] = parse_inputs_digest(project, env)
    model.rename(model.with_name("renamed_" + model.name))
    changed["a renamed model"] = parse_inputs_digest(project, env)
    (project / "seeds" / "new_seed.csv").write_text("a\n1\n")
    changed["a new seed"] = parse_inputs_digest(project, env)
    (project / "data-tests" / "new_test.sql").write_text("select 1 where false")
    changed["a new data test"] = parse_inputs_digest(project, env)
    profiles = project / "profiles.yml"
    profiles.write_text(profiles.read_text() + "\n# edited\n")
    changed["profiles.yml"] = parse_inputs_digest(project, env)

    seen = [base]
    for what, digest in changed.items():
        assert digest not in seen, what
        seen.append(digest)
