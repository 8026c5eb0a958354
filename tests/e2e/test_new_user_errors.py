"""A new user's mistakes through the real CLI: each names the file, line and setting to fix
and exits 2 (a usage or configuration error), with no traceback and nothing on stdout."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import cli


def _config_error(proc: object, where: str) -> str:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)  # type: ignore[attr-defined]
    assert proc.stdout == ""  # type: ignore[attr-defined]
    err: str = proc.stderr  # type: ignore[attr-defined]
    assert where in err and "Traceback" not in err, err
    return err


def test_an_expert_model_that_cannot_be_made_is_the_files_error(tmp_path: Path) -> None:
    """It was 'error: ValueError: model ...: no API key' with exit 1, naming no setting."""
    (tmp_path / "agentroute.toml").write_text(
        '[agent]\nname = "x"\n\n[experts.gpt]\nmodel = "openai:gpt-4o-mini"\n'
        'api_key_env = "AGENTROUTE_TEST_UNSET_KEY"\n'
    )
    err = _config_error(cli("run", "What is 2 + 2?", cwd=tmp_path), "agentroute.toml:5")
    assert "[experts.gpt.model]" in err and "AGENTROUTE_TEST_UNSET_KEY" in err
    _config_error(cli("serve", "expert", "gpt", cwd=tmp_path), "[experts.gpt.model]")


def test_an_unknown_provider_and_planner_model_are_the_files_errors(tmp_path: Path) -> None:
    (tmp_path / "agentroute.toml").write_text('[experts.gpt]\nmodel = "nosuchprovider:foo"\n')
    err = _config_error(cli("run", "What is 2 + 2?", cwd=tmp_path), "agentroute.toml:2")
    assert "[experts.gpt.model]" in err and "unknown provider 'nosuchprovider'" in err
    (tmp_path / "agentroute.toml").write_text('[planner]\nkind = "llm"\nmodel = "nosuch:x"\n')
    err = _config_error(cli("run", "What is 2 + 2?", cwd=tmp_path), "agentroute.toml:3")
    assert "[planner.model]" in err
