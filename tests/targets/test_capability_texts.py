"""Targets found by what they can do: an expert by each capability its description lists, a
served agent (``agentroute serve agent``) by the union of its targets' examples."""

from __future__ import annotations

from agentroute.cli._serve import agent_description
from agentroute.targets._texts import capability_texts, descriptor_texts
from agentroute.types import TargetDescriptor, TargetKind

CALC = TargetDescriptor(
    name="calc.calculate", kind=TargetKind.TOOL, description="Evaluate an arithmetic expression"
)


def test_an_expert_is_found_by_each_capability_of_its_description() -> None:
    coder = TargetDescriptor(
        name="coder",
        kind=TargetKind.EXPERT,
        description="Programming specialist: writes code in Python and SQL; explains error "
        "messages; suggests fixes and tests.",
    )
    assert "Programming specialist: explains error messages" in descriptor_texts(coder)
    helper = TargetDescriptor(
        name="helper",
        kind=TargetKind.EXPERT,
        description="Assistant: writing letters, recipes, travel plans, jokes and poems",
    )
    assert "Assistant: recipes" in capability_texts(helper)
    one = TargetDescriptor(name="t", kind=TargetKind.EXPERT, description="Translates text.")
    assert capability_texts(one) == []


def test_a_plain_tool_keeps_its_one_text() -> None:
    assert len(descriptor_texts(CALC)) == 1


def test_a_served_agent_is_found_by_the_union_of_its_targets() -> None:
    kb = TargetDescriptor(name="kb", kind=TargetKind.KNOWLEDGE, examples=["Who is Ada?"])
    served = agent_description("home", [CALC, kb])
    texts = descriptor_texts(
        TargetDescriptor(name="home.ask", kind=TargetKind.TOOL, description=served)
    )
    assert "Who is Ada?" in texts
    assert "Evaluate an arithmetic expression" in texts
