"""The project's layering and documentation rules, checked on dbt's manifest.json.

A pure function of the manifest (a dict), so a test can run it on the real project and on small
hand-made manifests with planted violations. The rules follow dbt-labs/dbt-project-evaluator's
DAG and documentation checks, adapted to this project's layers:

- sources -> staging (base models, then staging models) -> intermediate -> marts; seeds are
  reference data any layer may read;
- a staging model reads only its source, seeds (label mapping) and the base models of its own
  source folder; a base model reads only sources; a staging model reads one source at most;
- no model reads a later layer; an intermediate model never reads a mart; a mart never reads a
  source directly;
- every model has a description stating its grain ("One row per ..."), primary-key tests
  (``unique`` + ``not_null`` on one column, or ``unique_combination_of_columns``; each possibly
  through the model's ``model_checks`` test), and every
  column of a mart that the YAML lists has a description;
- YAML beside the SQL: a mart is documented in ``<model>.yml`` next to ``<model>.sql``, a
  staging or intermediate model in its folder's ``_<folder>__models.yml``; a unit test lives in
  the YAML file of the model it tests;
- every macro of the project has a description, and every argument of its signature is
  documented.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

#: the model layers in data-flow order; a model may read its own layer or an earlier one
MODEL_LAYERS = ("staging", "intermediate", "marts")
GRAIN_SENTENCE = "One row per "
COMBINATION_TESTS = {"unique_combination_of_columns"}


@dataclass(frozen=True)
class Violation:
    rule: str
    offender: str
    detail: str

    def __str__(self) -> str:
        return f"{self.offender}: {self.rule}: {self.detail}"


@dataclass(frozen=True)
class Model:
    unique_id: str
    name: str
    path: str
    layer: str
    #: the source folder of a staging model (models/staging/<folder>/...), else ""
    folder: str
    is_base: bool
    description: str
    columns: dict[str, str]
    parents: tuple[str, ...]
    #: the YAML file that documents the model ("" when none does)
    yaml_path: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.path})"


def models_of(manifest: dict[str, Any], project: str) -> dict[str, Model]:
    """The project's models, by unique_id, with their layer read from the folder (fqn)."""
    models = {}
    for unique_id, node in manifest["nodes"].items():
        if node["resource_type"] != "model" or node["package_name"] != project:
            continue
        fqn = node["fqn"]  # [project, layer, folders..., name]
        layer = fqn[1] if len(fqn) > 2 else ""
        models[unique_id] = Model(
            unique_id=unique_id,
            name=node["name"],
            path=node["original_file_path"],
            layer=layer,
            folder=fqn[2] if layer == "staging" and len(fqn) > 3 else "",
            is_base="base" in fqn[2:-1],
            description=(node.get("description") or "").strip(),
            columns={
                name: (column.get("description") or "").strip()
                for name, column in node.get("columns", {}).items()
            },
            parents=tuple(node["depends_on"]["nodes"]),
            yaml_path=(node.get("patch_path") or "").split("://", 1)[-1],
        )
    return models


def resource_type(manifest: dict[str, Any], unique_id: str) -> str:
    return unique_id.split(".", 1)[0]


def check_manifest(manifest: dict[str, Any], project: str) -> list[Violation]:
    """Every violation of the rules in the project's manifest, in a stable order."""
    models = models_of(manifest, project)
    violations = [
        *check_layers(manifest, models),
        *check_documentation(models),
        *check_primary_keys(manifest, models),
        *check_yaml_layout(manifest, models),
        *check_macros(manifest, project),
    ]
    return sorted(violations, key=lambda v: (v.offender, v.rule, v.detail))


def check_layers(manifest: dict[str, Any], models: dict[str, Model]) -> Iterator[Violation]:
    for model in models.values():
        if model.layer not in MODEL_LAYERS:
            yield Violation(
                "model outside a layer",
                model.label,
                f"lives in '{model.layer}', not in models/{{{','.join(MODEL_LAYERS)}}}/",
            )
            continue
        sources_read: set[str] = set()
        for parent_id in model.parents:
            kind = resource_type(manifest, parent_id)
            parent = models.get(parent_id)
            parent_name = parent.name if parent else parent_id.rsplit(".", 1)[-1]
            if kind == "source":
                sources_read.add(parent_id)
                if model.layer == "marts":
                    yield Violation("mart reads a source", model.label, parent_id)
                elif model.layer == "intermediate":
                    yield Violation("intermediate model reads a source", model.label, parent_id)
                continue
            if kind == "seed":
                if model.is_base:
                    yield Violation("base model reads more than sources", model.label, parent_id)
                continue
            if parent is None:
                yield Violation("model reads a node outside the layers", model.label, parent_id)
                continue
            if model.layer == "staging":
                if model.is_base:
                    yield Violation("base model reads more than sources", model.label, parent_name)
                elif not (parent.is_base and parent.folder == model.folder):
                    yield Violation(
                        "staging model reads more than sources, seeds and its own base models",
                        model.label,
                        f"{parent_name} ({parent.layer})",
                    )
                else:
                    sources_read.update(p for p in parent.parents if p.startswith("source."))
            if model.layer == "intermediate" and parent.layer == "marts":
                yield Violation("intermediate model reads a mart", model.label, parent_name)
            elif layer_index(parent.layer) > layer_index(model.layer):
                yield Violation(
                    "model reads a later layer",
                    model.label,
                    f"{parent_name} is in {parent.layer}, after {model.layer}",
                )
        if model.layer == "staging" and len(sources_read) > 1:
            yield Violation(
                "staging model reads more than one source",
                model.label,
                ", ".join(sorted(sources_read)),
            )


def layer_index(layer: str) -> int:
    return MODEL_LAYERS.index(layer) if layer in MODEL_LAYERS else len(MODEL_LAYERS)


def check_documentation(models: dict[str, Model]) -> Iterator[Violation]:
    for model in models.values():
        if not model.description:
            yield Violation("model lacks a description", model.label, "no description")
        elif not model.description.startswith(GRAIN_SENTENCE):
            yield Violation(
                "description lacks the grain sentence",
                model.label,
                f"it must start with '{GRAIN_SENTENCE}...'; it starts '{model.description[:40]}'",
            )
        if model.layer == "marts":
            for column, description in model.columns.items():
                if not description:
                    yield Violation("mart column lacks a description", model.label, column)


def check_primary_keys(manifest: dict[str, Any], models: dict[str, Model]) -> Iterator[Violation]:
    unique_columns: dict[str, set[str]] = {}
    not_null_columns: dict[str, set[str]] = {}
    combination_tested: set[str] = set()
    for node in manifest["nodes"].values():
        if node["resource_type"] != "test" or not node.get("test_metadata"):
            continue
        test_name = node["test_metadata"]["name"]
        attached = node.get("attached_node")
        column = node.get("column_name")
        warns = str(node["config"].get("severity", "")).lower() == "warn"
        if test_name == "unique" and column:
            unique_columns.setdefault(attached, set()).add(column)
        elif test_name == "not_null" and column and not warns:
            not_null_columns.setdefault(attached, set()).add(column)
        elif test_name in COMBINATION_TESTS:
            combination_tested.add(attached)
        elif test_name == "model_checks" and not warns:
            # a model's plain checks in one test (data-tests/generic/model_checks.sql)
            kwargs = node["test_metadata"].get("kwargs", {})
            not_null_columns.setdefault(attached, set()).update(kwargs.get("not_null", []))
            for key in kwargs.get("unique", []):
                if isinstance(key, str):
                    unique_columns.setdefault(attached, set()).add(key)
                else:
                    combination_tested.add(attached)
    for model in models.values():
        key_columns = unique_columns.get(model.unique_id, set()) & not_null_columns.get(
            model.unique_id, set()
        )
        if not key_columns and model.unique_id not in combination_tested:
            yield Violation(
                "model lacks primary-key tests",
                model.label,
                "no column tested unique and not_null, and no unique_combination_of_columns test",
            )


def check_yaml_layout(manifest: dict[str, Any], models: dict[str, Model]) -> Iterator[Violation]:
    for model in models.values():
        if not model.yaml_path:
            yield Violation("model has no YAML", model.label, "no properties file documents it")
            continue
        sql_folder, _, _ = model.path.rpartition("/")
        yaml_folder, _, yaml_name = model.yaml_path.rpartition("/")
        if yaml_folder != sql_folder:
            yield Violation("model YAML not beside its SQL", model.label, model.yaml_path)
        elif model.layer == "marts" and yaml_name != f"{model.name}.yml":
            yield Violation("mart YAML not named after the mart", model.label, model.yaml_path)
        elif model.layer != "marts" and not re.fullmatch(r"_\w+__models\.yml", yaml_name):
            yield Violation(
                "model YAML not the folder's _<folder>__models.yml", model.label, model.yaml_path
            )
    by_name = {model.name: model for model in models.values()}
    for unit_test in manifest.get("unit_tests", {}).values():
        model = by_name.get(unit_test["model"])
        if model and unit_test["original_file_path"] != model.yaml_path:
            yield Violation(
                "unit test not beside its model",
                model.label,
                f"unit test {unit_test['name']} is in {unit_test['original_file_path']}",
            )


MACRO_SIGNATURE = re.compile(r"{%-?\s*(?:macro|test)\s+(\w+)\s*\((.*?)\)\s*-?%}", re.DOTALL)


def signature_arguments(macro_sql: str, name: str) -> list[str]:
    """The argument names of the macro (or generic test) called name, from its SQL."""
    for match in MACRO_SIGNATURE.finditer(macro_sql):
        if match.group(1) in (name, name.removeprefix("test_")):
            return [
                argument.split("=", 1)[0].strip()
                for argument in split_top_level(match.group(2))
                if argument.strip() and not argument.strip().startswith("*")
            ]
    return []


def split_top_level(text: str) -> Iterable[str]:
    """Split on commas outside brackets and quotes (default values may hold lists)."""
    depth, quote, current = 0, "", []
    for char in text:
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            yield "".join(current)
            current = []
            continue
        current.append(char)
    yield "".join(current)


def check_macros(manifest: dict[str, Any], project: str) -> Iterator[Violation]:
    for macro in manifest["macros"].values():
        if macro["package_name"] != project:
            continue
        label = f"macro {macro['name']} ({macro['original_file_path']})"
        if not (macro.get("description") or "").strip():
            yield Violation("macro lacks a description", label, "no description")
        documented = {
            argument["name"]: (argument.get("description") or "").strip()
            for argument in macro.get("arguments", [])
        }
        for argument in signature_arguments(macro["macro_sql"], macro["name"]):
            if not documented.get(argument):
                yield Violation("macro argument lacks a description", label, argument)
