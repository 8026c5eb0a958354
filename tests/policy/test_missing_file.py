"""A policy file that is not there is our error naming it, raised when the Agent is made."""

from __future__ import annotations

from pathlib import Path

import pytest

from agentroute import Agent
from agentroute.policy import PolicyError


@pytest.mark.parametrize("given", ["policies/nope.policy", ["ok.policy", "policies/nope.policy"]])
def test_agent_names_the_missing_policy_file(
    given: str | list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ok.policy").write_text("allow calc.*\n")
    with pytest.raises(PolicyError, match=r"no such policy file: policies/nope\.policy") as err:
        Agent(policy=given)
    assert str(tmp_path) in str(err.value)  # where a relative path was looked for
    assert not isinstance(err.value, FileNotFoundError)
