"""A method asked about is no file, through the real Agent graph with the official filesystem
server and a general expert: "what does str.strip do" was read as a file named str.strip and
declined because the folder has none (blind22_decline); it is the expert's. A made-up file
is still declined, as before."""

from __future__ import annotations

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.embeddings import default_embedder
from agentroute.mcp import McpServerSpec
from agentroute.testing import ScriptedChatModel

REPLY = "GENERAL-REPLY"


def test_a_method_is_the_experts_and_a_missing_file_is_declined(
    filesystem_spec: McpServerSpec,
) -> None:
    model = ScriptedChatModel(replies=[REPLY] * 4)
    general = ChatModelExpert(
        model,
        TargetDescriptor(
            name="general",
            kind=TargetKind.EXPERT,
            description="General-purpose chat assistant: explanations of everyday topics and "
            "code, advice, writing.",
            domains=["writing", "general"],
        ),
    )
    with Agent(
        targets=[general], mcp=[filesystem_spec], embedder=default_embedder(), warm_spares=False
    ) as agent:
        method = agent.run("what does str.strip do")
        missing = agent.run("open vacation_photos.zip")
    assert [s.target for s in method.steps] == ["general"], method.trace
    assert REPLY in method.answer and "No suitable target" not in method.answer
    assert missing.steps == [] and "No suitable target" in missing.answer, missing.trace
