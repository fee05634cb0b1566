"""The layering and documentation rules of tests/dag_rules.py hold for the project.

The project is parsed once (``dbt parse`` into a temporary target folder) and its manifest
checked; the checker itself is tested on small hand-made manifests in which each rule is
broken once, so a rule that stopped firing would fail here.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import SampleBuild
from tests.dag_rules import Violation, check_manifest

PROJECT_DIR = Path(__file__).resolve().parents[1]
PROJECT = "funnel_warehouse"


@pytest.fixture(scope="module")
def manifest(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    workdir = tmp_path_factory.mktemp("dag_rules")
    dbt = Path(sys.executable).parent / "dbt"
    done = subprocess.run(
        [
            str(dbt) if dbt.exists() else "dbt",
            "parse",
            *("--project-dir", str(PROJECT_DIR), "--profiles-dir", str(PROJECT_DIR)),
            *("--target-path", str(workdir / "target"), "--log-path", str(workdir / "logs")),
        ],
        cwd=PROJECT_DIR,
        # parsing never opens the warehouse, but profiles.yml needs the variable to render
        env={**os.environ, "FUNNEL_WAREHOUSE": str(workdir / "unused.duckdb")},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    return json.loads((workdir / "target" / "manifest.json").read_text(encoding="utf-8"))


def test_the_project_follows_the_dag_and_documentation_rules(manifest: dict[str, Any]) -> None:
    violations = check_manifest(manifest, PROJECT)
    assert not violations, "\n".join(map(str, violations))


def test_the_checker_sees_every_layer_of_the_project(manifest: dict[str, Any]) -> None:
    # a checker that found no models would pass the test above without checking anything
    layers = {
        node["fqn"][1]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["package_name"] == PROJECT
    }
    assert layers == {"staging", "intermediate", "marts"}


def test_every_mart_column_in_the_warehouse_is_documented(
    manifest: dict[str, Any], sample_build: SampleBuild
) -> None:
    """The manifest only knows the columns the YAML lists; the built marts show the rest."""
    documented = {
        node["name"]: {
            name
            for name, column in node["columns"].items()
            if (column.get("description") or "").strip()
        }
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    }
    built = sample_build.query(
        "select table_name, column_name from information_schema.columns "
        "where table_schema = 'marts'"
    )
    assert {table for table, _ in built} == set(documented)
    undocumented = sorted(
        f"{table}.{column}" for table, column in built if column not in documented[table]
    )
    assert not undocumented, "mart columns without a description: " + ", ".join(undocumented)


# -- the checker on hand-made manifests ------------------------------------------------------


def model_node(
    name: str,
    folders: list[str],
    parents: list[str] = (),  # type: ignore[assignment]
    description: str = "One row per thing (thing_id).",
    columns: dict[str, str] | None = None,
) -> dict[str, Any]:
    folder = "models/" + "/".join(folders)
    yaml_name = f"{name}.yml" if folders[0] == "marts" else f"_{folders[-1]}__models.yml"
    return {
        "resource_type": "model",
        "package_name": PROJECT,
        "name": name,
        "fqn": [PROJECT, *folders, name],
        "original_file_path": f"{folder}/{name}.sql",
        "patch_path": f"{PROJECT}://{folder}/{yaml_name}",
        "description": description,
        "columns": {
            column: {"name": column, "description": text}
            for column, text in (columns or {"thing_id": "Primary key."}).items()
        },
        "depends_on": {"nodes": list(parents), "macros": []},
    }


def key_tests(model: str, column: str = "thing_id") -> dict[str, dict[str, Any]]:
    return {
        f"test.{PROJECT}.{test}_{model}_{column}": {
            "resource_type": "test",
            "package_name": PROJECT,
            "attached_node": f"model.{PROJECT}.{model}",
            "column_name": column,
            "test_metadata": {"name": test, "kwargs": {"column_name": column}},
            "config": {"severity": "ERROR"},
        }
        for test in ("unique", "not_null")
    }


def macro_node(name: str, sql: str, description: str, arguments: dict[str, str]) -> dict:
    return {
        "name": name,
        "package_name": PROJECT,
        "original_file_path": f"macros/{name}.sql",
        "macro_sql": sql,
        "description": description,
        "arguments": [{"name": arg, "description": text} for arg, text in arguments.items()],
    }


def ref(name: str) -> str:
    return f"model.{PROJECT}.{name}"


SOURCE_CRM = "source.funnel_warehouse.crm.deals"
SOURCE_WEB = "source.funnel_warehouse.web.touchpoints"
SEED = f"seed.{PROJECT}.crm_stage_labels"


def clean_manifest() -> dict[str, Any]:
    """A small project that follows every rule: base -> staging -> intermediate -> marts."""
    models = {
        "base_crm__deals": model_node("base_crm__deals", ["staging", "crm", "base"], [SOURCE_CRM]),
        "stg_crm__deals": model_node(
            "stg_crm__deals", ["staging", "crm"], [ref("base_crm__deals"), SEED]
        ),
        "stg_web__touchpoints": model_node(
            "stg_web__touchpoints", ["staging", "web"], [SOURCE_WEB]
        ),
        "int_deals": model_node(
            "int_deals", ["intermediate", "sales"], [ref("stg_crm__deals"), SEED]
        ),
        "fct_deals": model_node("fct_deals", ["marts", "sales"], [ref("int_deals")]),
        "deals_by_month": model_node(
            "deals_by_month", ["marts", "sales"], [ref("fct_deals"), ref("int_deals")]
        ),
    }
    nodes: dict[str, Any] = {ref(name): node for name, node in models.items()}
    for name in models:
        nodes.update(key_tests(name))
    macros = {
        f"macro.{PROJECT}.safe_divide": macro_node(
            "safe_divide",
            "{% macro safe_divide(numerator, denominator) -%} ... {%- endmacro %}",
            "A division.",
            {"numerator": "The numerator.", "denominator": "The denominator."},
        )
    }
    unit_tests = {
        f"unit_test.{PROJECT}.fct_deals.fct_deals_counts": {
            "name": "fct_deals_counts",
            "model": "fct_deals",
            "original_file_path": "models/marts/sales/fct_deals.yml",
        }
    }
    return {"nodes": nodes, "sources": {}, "macros": macros, "unit_tests": unit_tests}


def named(violations: list[Violation]) -> set[tuple[str, str]]:
    """(rule, model or macro name) of each violation."""
    found = set()
    for violation in violations:
        words = violation.offender.split(" ")
        found.add((violation.rule, words[1] if words[0] == "macro" else words[0]))
    return found


def test_a_clean_manifest_passes() -> None:
    assert check_manifest(clean_manifest(), PROJECT) == []


def plant(manifest: dict[str, Any], node: dict[str, Any], with_key: bool = True) -> None:
    manifest["nodes"][ref(node["name"])] = node
    if with_key:
        manifest["nodes"].update(key_tests(node["name"]))


def test_every_planted_violation_is_named() -> None:
    manifest = clean_manifest()
    # staging reading another staging model, and a base model of another source
    plant(
        manifest,
        model_node(
            "stg_crm__deal_notes",
            ["staging", "crm"],
            [ref("stg_crm__deals"), ref("stg_web__touchpoints")],
        ),
    )
    # a base model reading a seed
    plant(manifest, model_node("base_crm__leads", ["staging", "crm", "base"], [SOURCE_CRM, SEED]))
    # a staging model joining two sources
    plant(manifest, model_node("stg_crm__mixed", ["staging", "crm"], [SOURCE_CRM, SOURCE_WEB]))
    # intermediate reading a mart; staging reading intermediate (a later layer)
    plant(manifest, model_node("int_from_mart", ["intermediate", "sales"], [ref("fct_deals")]))
    plant(manifest, model_node("stg_crm__late", ["staging", "crm"], [ref("int_deals")]))
    # marts reading a source; intermediate reading a source
    plant(manifest, model_node("fct_raw", ["marts", "sales"], [SOURCE_CRM]))
    plant(manifest, model_node("int_raw", ["intermediate", "sales"], [SOURCE_CRM]))
    # documentation: no description, no grain sentence, a mart column without description
    plant(manifest, model_node("int_silent", ["intermediate", "sales"], [ref("int_deals")], ""))
    plant(
        manifest,
        model_node("int_vague", ["intermediate", "sales"], [ref("int_deals")], "Deals, mostly."),
    )
    plant(
        manifest,
        model_node(
            "fct_terse",
            ["marts", "sales"],
            [ref("int_deals")],
            columns={"thing_id": "Primary key.", "amount": ""},
        ),
    )
    # no primary-key tests (only unique, not not_null, is not enough)
    plant(manifest, model_node("fct_keyless", ["marts", "sales"], [ref("int_deals")]), False)
    half_key = key_tests("fct_half_key")
    del half_key[f"test.{PROJECT}.not_null_fct_half_key_thing_id"]
    plant(manifest, model_node("fct_half_key", ["marts", "sales"], [ref("int_deals")]), False)
    manifest["nodes"].update(half_key)
    # a model outside the layer folders
    plant(manifest, model_node("loose_model", ["scratch"], [ref("int_deals")]))
    # YAML layout: a mart documented in its folder's shared file, an intermediate model
    # documented in another folder, a model with no YAML, a unit test away from its model
    shared = model_node("fct_shared_yaml", ["marts", "sales"], [ref("int_deals")])
    shared["patch_path"] = f"{PROJECT}://models/marts/sales/_sales__models.yml"
    plant(manifest, shared)
    elsewhere = model_node("int_elsewhere", ["intermediate", "sales"], [ref("int_deals")])
    elsewhere["patch_path"] = f"{PROJECT}://models/intermediate/funnel/_int_funnel__models.yml"
    plant(manifest, elsewhere)
    unpatched = model_node("int_unpatched", ["intermediate", "sales"], [ref("int_deals")])
    unpatched["patch_path"] = None
    plant(manifest, unpatched)
    manifest["unit_tests"][f"unit_test.{PROJECT}.int_deals.stray"] = {
        "name": "stray",
        "model": "int_deals",
        "original_file_path": "models/marts/sales/fct_deals.yml",
    }
    # macros: no description; an argument of the signature not documented
    manifest["macros"][f"macro.{PROJECT}.undocumented"] = macro_node(
        "undocumented", "{% macro undocumented(x) %}{{ x }}{% endmacro %}", "", {"x": "An x."}
    )
    manifest["macros"][f"macro.{PROJECT}.half_documented"] = macro_node(
        "half_documented",
        "{% macro half_documented(x, y=['a', 'b'], z=none) %}{{ x }}{% endmacro %}",
        "Half documented.",
        {"x": "An x.", "y": "A list."},
    )

    found = named(check_manifest(manifest, PROJECT))

    staging_rule = "staging model reads more than sources, seeds and its own base models"
    expected = {
        (staging_rule, "stg_crm__deal_notes"),
        ("base model reads more than sources", "base_crm__leads"),
        ("staging model reads more than one source", "stg_crm__mixed"),
        ("intermediate model reads a mart", "int_from_mart"),
        (staging_rule, "stg_crm__late"),
        ("model reads a later layer", "stg_crm__late"),
        ("mart reads a source", "fct_raw"),
        ("intermediate model reads a source", "int_raw"),
        ("model lacks a description", "int_silent"),
        ("description lacks the grain sentence", "int_vague"),
        ("mart column lacks a description", "fct_terse"),
        ("model lacks primary-key tests", "fct_keyless"),
        ("model lacks primary-key tests", "fct_half_key"),
        ("model outside a layer", "loose_model"),
        ("mart YAML not named after the mart", "fct_shared_yaml"),
        ("model YAML not beside its SQL", "int_elsewhere"),
        ("model has no YAML", "int_unpatched"),
        ("unit test not beside its model", "int_deals"),
        ("macro lacks a description", "undocumented"),
        ("macro argument lacks a description", "half_documented"),
    }
    assert expected <= found, sorted(expected - found)
    undocumented_arguments = {
        v.detail
        for v in check_manifest(manifest, PROJECT)
        if v.rule == "macro argument lacks a description"
    }
    assert undocumented_arguments == {"z"}
    # and nothing else is blamed on the models that follow the rules (int_deals' only fault is
    # the unit test planted away from it)
    clean = {node["name"] for node in clean_manifest()["nodes"].values() if "name" in node}
    blamed = {(rule, offender) for rule, offender in found if offender in clean}
    assert blamed == {("unit test not beside its model", "int_deals")}


def model_checks_test(model: str, kwargs: dict[str, Any], severity: str = "ERROR") -> dict:
    return {
        f"test.{PROJECT}.model_checks_{model}": {
            "resource_type": "test",
            "package_name": PROJECT,
            "attached_node": f"model.{PROJECT}.{model}",
            "column_name": None,
            "test_metadata": {"name": "model_checks", "kwargs": kwargs},
            "config": {"severity": severity},
        }
    }


def test_the_key_may_be_tested_through_the_models_model_checks_test() -> None:
    manifest = clean_manifest()
    for name, kwargs, severity in [
        ("fct_checked_key", {"not_null": ["thing_id"], "unique": ["thing_id"]}, "ERROR"),
        ("fct_checked_pair", {"unique": [["thing_id", "day"]]}, "ERROR"),
        ("fct_checked_no_null", {"unique": ["thing_id"]}, "ERROR"),  # unique, nulls untested
        ("fct_checked_other", {"not_null": ["thing_id"], "unique": ["amount"]}, "ERROR"),
        ("fct_checked_warn", {"not_null": ["thing_id"], "unique": ["thing_id"]}, "warn"),
    ]:
        plant(manifest, model_node(name, ["marts", "sales"], [ref("int_deals")]), False)
        manifest["nodes"].update(model_checks_test(name, kwargs, severity))

    found = named(check_manifest(manifest, PROJECT))

    assert found == {
        ("model lacks primary-key tests", "fct_checked_no_null"),
        ("model lacks primary-key tests", "fct_checked_other"),
        ("model lacks primary-key tests", "fct_checked_warn"),
    }


def test_a_violation_names_the_offender_and_what_it_reads() -> None:
    manifest = clean_manifest()
    plant(manifest, model_node("int_from_mart", ["intermediate", "sales"], [ref("fct_deals")]))
    [violation] = check_manifest(manifest, PROJECT)
    assert str(violation) == (
        "int_from_mart (models/intermediate/sales/int_from_mart.sql): "
        "intermediate model reads a mart: fct_deals"
    )


def test_the_undocumented_macro_argument_is_named() -> None:
    manifest = clean_manifest()
    manifest["macros"][f"macro.{PROJECT}.safe_divide"]["arguments"].pop()
    [violation] = check_manifest(manifest, PROJECT)
    assert violation.rule == "macro argument lacks a description"
    assert violation.detail == "denominator"


def test_every_data_test_is_an_asset_check_in_dagster(manifest: dict[str, Any]) -> None:
    """A singular test reading several models is run by ``dbt build`` but shown by Dagster only
    when its YAML names the model it checks (``meta: {dagster: {ref: {name: ...}}}``); without
    it Dagster logs a warning on every build and leaves the test out of the asset checks."""
    from dagster_dbt.asset_utils import get_asset_check_key_for_test

    from orchestration.defs.assets.dbt import translator

    tests = [
        unique_id
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "test" and node["package_name"] == PROJECT
    ]
    assert len(tests) > 200  # the project's data tests, not an empty parse
    unattached = [
        unique_id
        for unique_id in tests
        if get_asset_check_key_for_test(manifest, translator, unique_id, None) is None
    ]
    assert not unattached, "data tests Dagster cannot attach to a model: " + ", ".join(unattached)
