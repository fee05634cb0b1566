"""Issue 12, "files silently never read": every file under the landing folder is loaded,
rejected with a reason, ignored by a documented pattern, or reported as unrecognised; a file
path is never read as a glob pattern; a file rejected in the wrong folder loads once moved."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest

from orchestration.ingestion.ingest import ingest_entity
from orchestration.ingestion.landing_inventory import record_landing_inventory
from orchestration.ingestion.landing_scan import IGNORE_PATTERNS, ignore_reason
from orchestration.landing_contract import ENTITY_BY_PATH
from orchestration.sample_data.state import STATE_FILE
from tests.landing_gate import (
    ingest_owners,
    land,
    owners_by_file,
    owners_csv,
    owners_file,
    query,
)

# -- names and places that load ---------------------------------------------------------------

LOADED_NAMES = [
    "OWNERS.CSV",
    "owners.Csv",
    "owners.CSV.GZ",
    "owners.Csv.Gz",
    "owners.PARQUET",
    "owners.Parquet",
    "_backfill.csv",
    "__double_underscore.csv",
    "2025/01/nested.csv",
    "deep/er/still/nested.CSV",
]


@pytest.mark.parametrize("name", LOADED_NAMES)
def test_an_entity_file_loads_whatever_the_case_of_its_extension(
    name: str, landing: Path, warehouse: Path
) -> None:
    land(landing, f"crm/owners/{name}", owners_file(name, "O1", "O2"))
    report = ingest_owners(warehouse, landing)
    assert [(r.relative_path, r.status) for r in report.results] == [
        (f"crm/owners/{name}", "loaded")
    ]
    assert owners_by_file(warehouse) == {f"crm/owners/{name}": ["O1", "O2"]}
    assert query(warehouse, "select name, team from raw.crm__owners order by 1") == [
        ("name O1", "team O1"),
        ("name O2", "team O2"),
    ]


def test_files_in_a_symlinked_folder_load(landing: Path, warehouse: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "shared_drive"
    land(elsewhere, "march/owners.csv", owners_csv("O7"))
    land(landing, "crm/owners/own.csv", owners_csv("O1"))
    (landing / "crm/owners/linked").symlink_to(elsewhere, target_is_directory=True)
    ingest_owners(warehouse, landing)
    assert owners_by_file(warehouse) == {
        "crm/owners/linked/march/owners.csv": ["O7"],
        "crm/owners/own.csv": ["O1"],
    }


def test_a_symlinked_entity_folder_loads(landing: Path, warehouse: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "export_job"
    land(elsewhere, "owners.csv", owners_csv("O3"))
    (landing / "crm").mkdir()
    (landing / "crm/owners").symlink_to(elsewhere, target_is_directory=True)
    ingest_owners(warehouse, landing)
    assert owners_by_file(warehouse) == {"crm/owners/owners.csv": ["O3"]}


def test_a_symlink_loop_is_read_once_and_noted(landing: Path, warehouse: Path) -> None:
    land(landing, "crm/owners/a.csv", owners_csv("O1"))
    (landing / "crm/owners/again").symlink_to("..", target_is_directory=True)  # -> crm/
    (landing / "crm/owners/self").symlink_to(".", target_is_directory=True)
    ingest_owners(warehouse, landing)
    assert owners_by_file(warehouse) == {"crm/owners/a.csv": ["O1"]}
    inventory = record_landing_inventory(warehouse, landing)
    notes = dict(
        query(
            warehouse,
            "select source_file, message from raw._load_manifest where status = ?",
            ["ignored"],
        )
    )
    assert inventory.unrecognised == []
    assert notes == {
        "crm/owners/again": "ignored: a link to the folder crm/, read there",
        "crm/owners/self": "ignored: a link to the folder crm/owners/, read there",
    }


# -- ignored -------------------------------------------------------------------------------

IGNORED = [
    ("~$owners.csv", "Microsoft Office lock file"),
    ("~$OWNERS.CSV", "Microsoft Office lock file"),
    (".~lock.owners.csv#", "hidden file"),
    (".DS_Store", "hidden file"),
    ("._owners.csv", "hidden file"),
    ("owners.csv~", "editor's backup"),
    ("owners.csv.tmp", "still being written"),
    ("OWNERS.CSV.TMP", "still being written"),
    ("owners.csv.part", "still being written"),
    ("owners.csv.crdownload", "still being written"),
    ("owners.parquet.filepart", "still being written"),
    ("Thumbs.db", "Windows folder-view file"),
    ("desktop.ini", "Windows folder-view file"),
    ("_SUCCESS", "completion marker"),
    ("_generator_state.json", "sample-data generator's state"),
    (".git/config", "hidden folder"),
]


@pytest.mark.parametrize(("name", "why"), IGNORED, ids=[n for n, _ in IGNORED])
def test_temp_lock_and_hidden_files_are_ignored_not_a_failure(
    name: str, why: str, landing: Path, warehouse: Path
) -> None:
    # bytes that would fail any reader: a lock file is no CSV
    land(landing, f"crm/owners/{name}", b"\x00\xffnot,a;csv\x00")
    land(landing, "crm/owners/good.csv", owners_csv("O1"))
    report = ingest_owners(warehouse, landing)
    assert [(r.relative_path, r.status) for r in report.results] == [
        ("crm/owners/good.csv", "loaded")
    ]
    inventory = record_landing_inventory(warehouse, landing)
    assert inventory.unrecognised == []
    [(path, message)] = query(
        warehouse, "select source_file, message from raw._load_manifest where status = 'ignored'"
    )
    ignored_path = f"crm/owners/{name}".removesuffix("/config")
    assert path == ignored_path and why in message


def test_the_generators_state_file_is_ignored() -> None:
    assert ignore_reason(STATE_FILE) is not None


def test_every_documented_ignore_pattern_is_tested() -> None:
    tested = " ".join(why for _, why in IGNORED)
    for _, what in IGNORE_PATTERNS:
        assert any(word in what for word in tested.split()), what


# -- unrecognised --------------------------------------------------------------------------

UNRECOGNISED = [
    ("owners.csv", "a file directly in the landing folder"),
    ("crm/owners.csv", "a file directly in the source folder crm/"),
    (
        "crm/contacts/contacts.csv",
        "crm/contacts is not an entity of the landing contract (the entities of crm/: leads, "
        "lead_status_changes, deals, deal_stage_changes, owners, quotas)",
    ),
    (
        "marketing/spend/spend.csv",
        # the native systems are sources too (orchestration.native_contracts)
        "marketing/spend is not an entity of the landing contract (the sources: ads, crm, "
        "finance, google_ads, hubspot, linkedin_ads, meta_ads, payments, salesforce, stripe, web)",
    ),
    ("CRM/Owners/owners.csv", "did you mean crm/owners?"),
    ("crm/owners/owners.xlsx", "does not end in .csv, .csv.gz, .parquet"),
    ("crm/owners/owners.txt", "does not end in"),
    ("crm/owners/owners.json", "does not end in"),
    ("crm/owners/owners.tsv", "does not end in"),
    ("crm/owners/owners.csv.zip", "does not end in"),
    ("crm/owners/owners.gz", "does not end in"),
]


@pytest.mark.parametrize(("path", "reason"), UNRECOGNISED, ids=[p for p, _ in UNRECOGNISED])
def test_a_file_no_entity_claims_is_reported_unrecognised_with_its_reason(
    path: str, reason: str, landing: Path, warehouse: Path
) -> None:
    land(landing, path, owners_csv("O9"))
    report = ingest_owners(warehouse, landing)
    assert report.results == []
    inventory = record_landing_inventory(warehouse, landing)
    assert [f.relative_path for f in inventory.unrecognised] == [path]
    [(status, message, file_hash)] = query(
        warehouse, "select status, message, file_hash from raw._load_manifest"
    )
    assert status == "unrecognised" and reason in message and len(file_hash) == 64
    assert query(warehouse, "select count(*) from raw.crm__owners") == [(0,)]


def test_a_broken_symlink_is_unrecognised(landing: Path, warehouse: Path) -> None:
    (landing / "crm/owners").mkdir(parents=True)
    (landing / "crm/owners/gone.csv").symlink_to(landing / "nowhere.csv")
    inventory = record_landing_inventory(warehouse, landing)
    assert [(f.relative_path, f.reason) for f in inventory.unrecognised] == [
        ("crm/owners/gone.csv", "a broken symbolic link")
    ]
    assert ingest_owners(warehouse, landing).results == []


def test_each_build_replaces_the_ignored_and_unrecognised_rows(
    landing: Path, warehouse: Path
) -> None:
    stray = land(landing, "owners.csv", owners_csv("O1"))
    land(landing, "crm/owners/~$owners.csv", b"lock")
    record_landing_inventory(warehouse, landing, run_id="night-1")
    stray.unlink()
    record_landing_inventory(warehouse, landing, run_id="night-2")
    assert query(
        warehouse, "select source_file, status, run_id from raw._load_manifest order by 1"
    ) == [("crm/owners/~$owners.csv", "ignored", "night-2")]


# -- a path is never a pattern ----------------------------------------------------------------

GLOB_NEIGHBOURS = [
    ("changes[1].csv", ["changes1.csv"]),
    ("[ab].csv", ["a.csv", "b.csv"]),
    ("[!x].csv", ["y.csv"]),
    ("o*.csv", ["ob.csv", "o.csv"]),
    ("o?.csv", ["ob.csv"]),
    ("**.csv", ["x.csv"]),
    ("{a,b}.csv", ["a.csv", "b.csv"]),
    ("a]b.csv", ["ab.csv"]),
    ("f[1]/nested.csv", ["f1/nested.csv"]),
]


@pytest.mark.parametrize(("odd", "plain"), GLOB_NEIGHBOURS, ids=[o for o, _ in GLOB_NEIGHBOURS])
def test_a_file_whose_name_looks_like_a_glob_loads_its_own_rows(
    odd: str, plain: list[str], landing: Path, warehouse: Path
) -> None:
    names = [odd, *plain]
    for number, name in enumerate(names):
        land(landing, f"crm/owners/{name}", owners_csv(f"O{number}a", f"O{number}b"))
    report = ingest_owners(warehouse, landing)
    assert {r.status for r in report.results} == {"loaded"}
    assert owners_by_file(warehouse) == {
        f"crm/owners/{name}": [f"O{number}a", f"O{number}b"] for number, name in enumerate(names)
    }


AWKWARD = [
    " ",
    "[",
    "]",
    "*",
    "?",
    "{",
    "}",
    "'",
    '"',
    ",",
    "#",
    "%",
    "$",
    "&",
    ";",
    "=",
    "+",
    "@",
    "!",
    "(",
    ")",
    "~",
    "ü",
    "日本",
    "Ω",
    "\\",
]
EXTENSIONS = [".csv", ".CSV", ".Csv", ".csv.gz", ".CSV.GZ", ".parquet", ".PARQUET"]


def awkward_names(count: int, seed: int) -> list[str]:
    """Distinct file names mixing awkward characters and extension cases (seeded)."""
    pick = random.Random(seed)
    names: list[str] = []
    while len(names) < count:
        middle = "".join(pick.choice([*AWKWARD, "a", "b", "1"]) for _ in range(pick.randint(1, 6)))
        name = f"f{len(names)}{middle}{pick.choice(EXTENSIONS)}"
        if name not in names:
            names.append(name)
    return names


def test_files_with_awkward_names_each_load_their_own_rows(landing: Path, warehouse: Path) -> None:
    names = awkward_names(40, seed=12)
    # every character of the set and every extension case is used
    assert all(any(c in n for n in names) for c in AWKWARD)
    assert all(any(n.endswith(e) for n in names) for e in EXTENSIONS)
    for number, name in enumerate(names):
        land(landing, f"crm/owners/{name}", owners_file(name, f"A{number}", f"B{number}"))
    report = ingest_owners(warehouse, landing)
    assert [r.status for r in report.results] == ["loaded"] * len(names), [
        r.message for r in report.results if r.status != "loaded"
    ]
    assert owners_by_file(warehouse) == {
        f"crm/owners/{name}": [f"A{number}", f"B{number}"] for number, name in enumerate(names)
    }
    loaded_names = query(
        warehouse, "select owner_id, name from raw.crm__owners where owner_id like 'A%'"
    )
    assert sorted(loaded_names) == sorted((f"A{n}", f"name A{n}") for n in range(len(names)))


# -- identity: bytes and entity --------------------------------------------------------------

LEADS_TEXT = (
    b"lead_id,created_at,updated_at,email,company_domain,source,medium,campaign,owner_id\n"
    b"L1,2025-01-01T10:00:00Z,2025-01-01T10:00:00Z,,x.io,google,cpc,brand,O1\n"
    b"L2,2025-01-02T10:00:00Z,2025-01-02T10:00:00Z,,y.io,google,cpc,brand,O1\n"
)


def test_a_file_rejected_in_the_wrong_folder_loads_once_moved(
    landing: Path, warehouse: Path
) -> None:
    wrong = land(landing, "crm/owners/leads.csv", LEADS_TEXT)
    first = ingest_owners(warehouse, landing)
    assert [r.status for r in first.results] == ["rejected"]
    assert "lacks required column(s) name, team" in (first.results[0].message or "")

    right = landing / "crm/leads/leads.csv"
    right.parent.mkdir(parents=True)
    shutil.move(wrong, right)
    report = ingest_entity(warehouse, landing, ENTITY_BY_PATH["crm/leads"])
    assert [(r.status, r.rows_loaded) for r in report.results] == [("loaded", 2)]
    assert query(warehouse, "select lead_id from raw.crm__leads order by 1") == [("L1",), ("L2",)]
    assert query(
        warehouse, "select entity, status from raw._load_manifest order by loaded_at, entity"
    ) == [("crm/owners", "rejected"), ("crm/leads", "loaded")]


def test_an_unrecognised_file_loads_once_moved_into_its_entity_folder(
    landing: Path, warehouse: Path
) -> None:
    stray = land(landing, "owners.csv", owners_csv("O5"))
    record_landing_inventory(warehouse, landing)
    shutil.move(stray, land(landing, "crm/owners/owners.csv", b""))
    assert [r.status for r in ingest_owners(warehouse, landing).results] == ["loaded"]
    record_landing_inventory(warehouse, landing)
    assert query(warehouse, "select source_file, status from raw._load_manifest") == [
        ("crm/owners/owners.csv", "loaded")
    ]


@pytest.mark.parametrize("first_status", ["loaded", "rejected"])
def test_the_same_bytes_in_the_same_entity_are_accounted_for_once(
    first_status: str, landing: Path, warehouse: Path
) -> None:
    data = owners_csv("O1") if first_status == "loaded" else b"owner_id,name\nO1,Anna\n"
    land(landing, "crm/owners/first.csv", data)
    ingest_owners(warehouse, landing)
    land(landing, "crm/owners/again under another name.csv", data)
    again = ingest_owners(warehouse, landing)
    statuses = {r.relative_path: (r.status, r.message) for r in again.results}
    assert statuses["crm/owners/again under another name.csv"] == (
        "skipped",
        f"same content as crm/owners/first.csv ({first_status})",
    )
    assert query(warehouse, "select count(*) from raw._load_manifest") == [(1,)]


def test_landing_root_missing_or_empty_is_no_error(tmp_path: Path, warehouse: Path) -> None:
    inventory = record_landing_inventory(warehouse, tmp_path / "absent")
    assert (inventory.entity_files, inventory.ignored, inventory.unrecognised) == (0, [], [])
    assert os.path.exists(warehouse)
