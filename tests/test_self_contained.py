"""The repository carries everything its tests, examples and benchmarks read (issue 11): a fresh
clone on a machine without the team's ``shared`` folder passes. ``tests/conftest.py`` makes any
read of that folder fail during the suite; these tests show the guard bites, and that no file
of the project still names the folder (the guard in ``tests/conftest.py`` is the one place that
does, to forbid it)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ["AGENTROUTE_FORBIDDEN_DIR"])  # set by tests/conftest.py, the guard
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache"}
TEXT = {".py", ".sh", ".toml", ".md", ".cfg", ".ini", ".txt", ".json", ".policy", ".yml", ".yaml"}


def test_reading_the_shared_folder_fails_in_the_test_process() -> None:
    with pytest.raises(PermissionError, match="must not read"):
        (SHARED / "data" / "anything.csv").open()
    with pytest.raises(PermissionError, match="must not read"):
        os.listdir(SHARED)


def test_reading_the_shared_folder_fails_in_a_subprocess() -> None:
    proc = subprocess.run(
        [sys.executable, "-c", f"open({str(SHARED / 'README.md')!r})"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert "must not read" in proc.stderr


def test_no_project_file_names_the_shared_folder() -> None:
    q = '"'
    needles = ("../" + "shared", "shared" + "/data", f"{q}shared{q} / ", f"parent / {q}shared{q}")
    guard = REPO / "tests" / "conftest.py"  # the one file that names it, to forbid it
    offenders = []
    for root, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        for name in files:
            path = Path(root) / name
            if path == guard or path.suffix not in TEXT or path.stat().st_size > 2_000_000:
                continue
            text = path.read_text(errors="replace")
            offenders += [f"{path.relative_to(REPO)}: {n}" for n in needles if n in text]
    assert not offenders, offenders


def test_routerbench_travels_with_its_licence_and_origin() -> None:
    folder = REPO / "data" / "routerbench"
    assert "MIT License" in (folder / "LICENSE").read_text()
    readme = (folder / "README.md").read_text()
    assert "withmartian/routerbench" in readme and "Origin" in readme
    assert {p.name for p in folder.glob("*.csv")} == {
        "arc_challenge_train.csv",
        "mbpp_train.csv",
        "winograde_train.csv",
    }
