"""Old dbt invocation folders of target/ are removed, recent and foreign ones never
(orchestration/defs/invocation_folders.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from orchestration.defs.invocation_folders import prune_invocation_folders

DAY = 24 * 3600


def _folder(target: Path, name: str, age_seconds: float) -> Path:
    folder = target / name
    (folder / "run").mkdir(parents=True)
    (folder / "run_results.json").write_text("{}", encoding="utf-8")
    when = time.time() - age_seconds
    for path in (folder / "run", folder / "run_results.json", folder):
        os.utime(path, (when, when))
    return folder


def test_only_old_folders_beyond_the_newest_kept_are_removed(tmp_path: Path) -> None:
    # eight invocation folders, 1 to 8 days old; the newest three are kept whatever their age
    old = [
        _folder(tmp_path, f"funnel_dbt_assets-{i:07x}-abcdef{i}", (i + 1) * DAY) for i in range(8)
    ]
    recent = _folder(tmp_path, "funnel_dbt_assets-00000aa-00000aa", 3600)  # one hour old
    parse_state = tmp_path / "parse_state" / "funnel-0123456789ab"
    parse_state.mkdir(parents=True)
    os.utime(parse_state.parent, (time.time() - 30 * DAY,) * 2)
    manifest = tmp_path / "manifest.json"
    manifest.write_text("{}", encoding="utf-8")

    removed = prune_invocation_folders(tmp_path, kept=3, min_age_seconds=DAY)

    # newest first: recent (1 h), old[0] (1 day), old[1] (2 days) are the three kept
    assert sorted(removed) == sorted(old[2:])
    assert all(not p.exists() for p in old[2:])
    assert recent.exists() and old[0].exists() and old[1].exists()
    assert parse_state.exists() and manifest.exists()


def test_a_folder_a_running_build_still_writes_to_is_kept(tmp_path: Path) -> None:
    folders = [
        _folder(tmp_path, f"funnel_dbt_assets-{i:07x}-1234567", (i + 2) * DAY) for i in range(3)
    ]
    # the oldest folder was created long ago, but its build wrote run_results.json just now
    (folders[2] / "run_results.json").write_text('{"results": []}', encoding="utf-8")

    # newest first: folders[2] (written now), folders[0] (2 days); folders[1] (3 days) goes
    removed = prune_invocation_folders(tmp_path, kept=2, min_age_seconds=DAY)

    assert removed == [folders[1]]
    assert folders[0].exists() and folders[2].exists()
