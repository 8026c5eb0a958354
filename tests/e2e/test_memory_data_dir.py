"""``agentroute memory`` reads the case bank the configured agent writes: the file's data
directory, or ``--data-dir`` (it looked in ``.agentroute/memory`` whatever the file said)."""

from __future__ import annotations

from pathlib import Path

from .conftest import cli


def test_memory_commands_read_the_configured_data_dir(tmp_path: Path) -> None:
    (tmp_path / "agentroute.toml").write_text('[agent]\ndata_dir = "state"\n')
    ran = cli("run", "What is 6 * 7?", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    listed = cli("memory", "list", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert "What is 6 * 7?" in listed.stdout
    assert (tmp_path / "state" / "memory").is_dir()
    elsewhere = cli("memory", "stats", "--data-dir", "other", cwd=tmp_path)
    assert elsewhere.returncode == 2 and "no case store at other/memory" in elsewhere.stderr
    moved = cli("run", "What is 2 + 2?", "--data-dir", "other", cwd=tmp_path)
    assert moved.returncode == 0, moved.stderr
    assert "What is 2 + 2?" in cli("memory", "list", "--data-dir", "other", cwd=tmp_path).stdout
