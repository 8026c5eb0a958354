"""Through the real Agent and graph: an expert's own ``timeout_s`` wins over the agent's step
timeout (a local model answering in 40 s was cut off at the 30 s step timeout although its
``[experts.NAME] timeout_s`` was 60), and a timeout says which setting to raise."""

from __future__ import annotations

import time
from pathlib import Path

from langchain_core.messages import BaseMessage

from agentroute import Agent
from agentroute.build import make_expert
from agentroute.config._models import ExpertConfig
from agentroute.models import ChatModelExpert
from agentroute.testing import FunctionChatModel
from agentroute.types import TargetDescriptor, TargetKind

SLOW_S = 2.5
"""How long the slow model takes: longer than the step timeout below (0.2 s, and the 1 s
bounded_invoke grants past it), shorter than its own."""


def _slow(_messages: list[BaseMessage]) -> str:
    time.sleep(SLOW_S)
    return "A haiku: autumn leaves drifting"


def _expert(timeout_s: float | None) -> ChatModelExpert:
    return ChatModelExpert(
        FunctionChatModel(function=_slow),
        TargetDescriptor(
            name="local",
            kind=TargetKind.EXPERT,
            description="General-purpose local model: poems, explanations, drafting text.",
            domains=["general"],
            examples=["Write a short poem about autumn"],
        ),
        timeout_s=timeout_s,
    )


def _ask(expert: ChatModelExpert, tmp_path: Path) -> object:
    with Agent(targets=[expert], step_timeout_s=0.2) as agent:
        return agent.run("Write a short poem about autumn")


def test_the_experts_own_timeout_wins_over_the_step_timeout(tmp_path: Path) -> None:
    result = _ask(_expert(timeout_s=SLOW_S * 10), tmp_path)
    (step,) = result.steps  # type: ignore[attr-defined]
    assert step.target == "local" and step.ok, step.error
    assert "autumn leaves" in step.result


def test_a_timeout_names_the_setting_to_raise(tmp_path: Path) -> None:
    result = _ask(_expert(timeout_s=None), tmp_path)
    (step,) = result.steps  # type: ignore[attr-defined]
    assert not step.ok
    assert "local timed out after 0.2s (raise [agent] step_timeout_s)" in (step.error or "")


def test_a_configured_expert_carries_its_timeout() -> None:
    """``[experts.NAME] timeout_s`` reaches the expert the agent calls (not only its client)."""
    recorded = Path(__file__).resolve().parents[2] / "data/routerbench/arc_challenge_train.csv"
    expert = make_expert(
        "local", ExpertConfig(replay=recorded, replay_model="claude-v1", timeout_s=90)
    )
    assert expert.timeout_s == 90
