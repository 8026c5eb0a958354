"""The user's own data asked of in a file they name, through the real Agent graph with the
official filesystem server and a general expert: the file tells it.

Measured before (blind sets 16, 18 and 19): "what's my food budget in data/budget.csv" and
"how much did I budget for food in data/budget.csv" were declined as the user's own data no
tool offers, though the file server holds the file; one the server does not hold stays
declined.
"""

from __future__ import annotations

from pathlib import Path

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.embeddings import default_embedder
from agentroute.mcp import McpServerSpec
from agentroute.testing import ScriptedChatModel


def test_the_users_data_in_a_file_they_name_is_read(
    filesystem_spec: McpServerSpec, files: Path
) -> None:
    (files / "data").mkdir()
    (files / "data" / "budget.csv").write_text("item,amount\nrent,1200\nfood,450\n")
    general = ChatModelExpert(
        ScriptedChatModel(replies=[]),
        TargetDescriptor(
            name="general",
            kind=TargetKind.EXPERT,
            description="General-purpose chat assistant: writing and rewriting text, summaries, "
            "explanations of everyday topics, advice, recipes, jokes and poems.",
            domains=["writing", "general"],
        ),
    )
    with Agent(
        targets=[general], mcp=[filesystem_spec], embedder=default_embedder(), warm_spares=False
    ) as agent:
        food = agent.run("what's my food budget in data/budget.csv")
        asked = agent.run("how much did I budget for food in data/budget.csv")
        absent = agent.run("what's my travel budget in data/travel.csv")
    for result in (food, asked):
        assert [s.target for s in result.steps][:1] == ["filesystem.read_text_file"], result.trace
        assert "450" in result.answer, result.answer
    assert absent.steps == [], [s.target for s in absent.steps]
