"""A turn whose catch-all expert failed is remembered as a failure of that route, not
quarantined as a plan that "calls targets the task never needed: general"."""

from __future__ import annotations

from pathlib import Path

from .conftest import cli


def test_a_failed_catch_all_is_no_unrelated_target(tmp_path: Path) -> None:
    (tmp_path / "agentroute.toml").write_text(
        '[experts.general]\nmodel = "gemma-3-270m"\nbase_url = "http://127.0.0.1:9/v1"\n'
        'description = "small local model"\nrole = "general"\ntimeout_s = 5\n',
        encoding="utf-8",
    )
    proc = cli("run", "Write a haiku about autumn leaves", cwd=tmp_path)
    assert proc.returncode == 1 and "general failed" in proc.stdout, proc.stdout + proc.stderr
    assert "never needed" not in proc.stderr
    cases = cli("memory", "list", cwd=tmp_path).stdout.splitlines()
    assert len(cases) == 1 and " active " in cases[0], cases
