"""A digest of everything ``dbt parse`` reads, so a build skips a parse that would change nothing.

A partial parse still costs about 4 s of a small build (dbt starts, loads every file, checks the
saved state). When nothing it reads has changed since this warehouse's last parse, the manifest
in the warehouse's state folder is already the one it would write. What a parse reads:

- every file under the folders dbt_project.yml names (models, seeds, macros, data tests,
  analyses, snapshots), plus dbt_project.yml, profiles.yml and packages/dependencies files;
- the versions of dbt-core and of every installed adapter;
- the environment variables a project or profile can read (``FUNNEL_*``, ``DBT_*``).

The digest is written next to the manifest after a successful parse and compared before the
next one; any difference (a file added, removed, renamed or edited) parses again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator, Mapping
from importlib import metadata
from pathlib import Path

import yaml

#: the file in a parse-state folder that holds the digest of the inputs of its manifest
DIGEST_FILE = "parse_inputs.sha256"
#: dbt_project.yml keys naming folders dbt reads when it parses (with dbt's defaults)
FOLDER_KEYS = {
    "model-paths": ["models"],
    "seed-paths": ["seeds"],
    "macro-paths": ["macros"],
    "test-paths": ["tests"],
    "analysis-paths": ["analyses"],
    "snapshot-paths": ["snapshots"],
}
ROOT_FILES = ("dbt_project.yml", "profiles.yml", "packages.yml", "dependencies.yml")
DISTRIBUTIONS = ("dbt-core", "dbt-adapters", "dbt-duckdb", "dbt-postgres", "dbt-spark")
ENV_PREFIXES = ("FUNNEL_", "DBT_")


def parsed_folders(project_dir: Path) -> list[Path]:
    """The folders, under the project, whose files a ``dbt parse`` reads."""
    config = yaml.safe_load((project_dir / "dbt_project.yml").read_text(encoding="utf-8")) or {}
    folders: list[Path] = []
    for key, default in FOLDER_KEYS.items():
        for name in config.get(key) or default:
            folders.append(project_dir / name)
    return folders


def _input_files(project_dir: Path) -> Iterator[Path]:
    for name in ROOT_FILES:
        if (project_dir / name).is_file():
            yield project_dir / name
    for folder in parsed_folders(project_dir):
        if folder.is_dir():
            yield from sorted(path for path in folder.rglob("*") if path.is_file())


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "-"


def parse_inputs_digest(
    project_dir: Path, env: Mapping[str, str], *, but: tuple[str, ...] = ()
) -> str:
    """sha256 over every input of ``dbt parse`` of ``project_dir`` run with ``env`` (but the
    environment variables named in ``but``)."""
    digest = hashlib.sha256()
    for path in _input_files(project_dir):
        digest.update(f"file {path.relative_to(project_dir).as_posix()}\n".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for distribution in DISTRIBUTIONS:
        digest.update(f"version {distribution} {_version(distribution)}\n".encode())
    for name in sorted(env):
        if name.startswith(ENV_PREFIXES) and name not in but:
            digest.update(f"env {name}={env[name]}\n".encode())
    return digest.hexdigest()


def parse_is_current(state: Path, digest: str) -> bool:
    """True when ``state`` holds a manifest parsed from inputs with this ``digest``."""
    recorded = state / DIGEST_FILE
    if not (state / "manifest.json").exists() or not recorded.exists():
        return False
    return recorded.read_text(encoding="utf-8").strip() == digest


def record_parse(state: Path, digest: str) -> None:
    """Remember that the manifest in ``state`` was parsed from inputs with this ``digest``."""
    partial = state / f".{DIGEST_FILE}.{os.getpid()}"
    partial.write_text(digest + "\n", encoding="utf-8")
    os.replace(partial, state / DIGEST_FILE)


def forget_parse(state: Path) -> None:
    """Drop the record before a parse, so a parse that fails half-way is never trusted."""
    (state / DIGEST_FILE).unlink(missing_ok=True)
