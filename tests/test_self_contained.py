"""The repository carries everything its tests, examples and benchmarks read (issue 11): a fresh
clone on a machine with nothing beside it passes. ``tests/conftest.py`` makes any read of a
folder beside the clone fail during the suite; these tests show the guard bites, in the test
process and in subprocesses, and that no file of the project names the team's reading folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache"}
TEXT = {".py", ".sh", ".toml", ".md", ".cfg", ".ini", ".txt", ".json", ".policy", ".yml", ".yaml"}


def test_every_folder_beside_the_clone_is_forbidden() -> None:
    guard = sys.modules["_sibling_guard"]
    beside = {str(p) for p in REPO.parent.iterdir() if p.is_dir() and p.resolve() != REPO}
    if os.environ["AGENTROUTE_FORBIDDEN_DIRS"]:  # not a clone sitting in /, ~ or /tmp
        assert beside <= set(guard.FORBIDDEN)
    assert str(REPO) not in guard.FORBIDDEN


def test_reading_a_forbidden_folder_fails_in_the_test_process(tmp_path: Path) -> None:
    beside = tmp_path / "reading-material"
    (beside / "data").mkdir(parents=True)
    (beside / "data" / "anything.csv").write_text("a,b\n")
    sys.modules["_sibling_guard"].forbid(beside)
    with pytest.raises(PermissionError, match="must not read"):
        (beside / "data" / "anything.csv").open()
    with pytest.raises(PermissionError, match="must not read"):
        os.listdir(beside)


def test_reading_a_forbidden_folder_fails_in_a_subprocess(tmp_path: Path) -> None:
    beside = tmp_path / "reading-material"
    beside.mkdir()
    (beside / "README.md").write_text("x")
    env = {**os.environ, "AGENTROUTE_FORBIDDEN_DIRS": str(beside)}
    proc = subprocess.run(
        [sys.executable, "-c", f"open({str(beside / 'README.md')!r})"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert proc.returncode != 0
    assert "must not read" in proc.stderr


def test_no_project_file_names_the_shared_folder() -> None:
    q = '"'
    needles = ("../" + "shared", "shared" + "/data", f"{q}shared{q} / ", f"parent / {q}shared{q}")
    offenders = []
    for root, dirs, files in os.walk(REPO):
        dirs[:] = [d for d in dirs if d not in SKIP_DIRS and not d.endswith(".egg-info")]
        for name in files:
            path = Path(root) / name
            if path.suffix not in TEXT or path.stat().st_size > 2_000_000:
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
