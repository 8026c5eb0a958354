"""Parts naming a file, a folder or what an earlier part found, through the real Agent graph
with the official git and filesystem servers, the geography graph and two expert models.

Each part goes where what it names belongs (issue 13): a file named by its path to the file
reader (not the general assistant, whose "summaries" is closer as a sentence), a folder
named to the directory listing (not git's "Shows the contents of a commit"), "where does it
flow into" after a question about a river to the base that found the river (not the
catch-all), and "a better commit message for them" after a diff to the coder expert.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.embeddings import default_embedder
from agentroute.knowledge import default_graph
from agentroute.mcp import McpServerSpec
from agentroute.testing import ScriptedChatModel

MESSAGE = "Greet the world instead of saying hi"


def _expert(model: ScriptedChatModel, name: str, description: str, domains: list[str]) -> Any:
    return ChatModelExpert(
        model,
        TargetDescriptor(
            name=name, kind=TargetKind.EXPERT, description=description, domains=domains
        ),
    )


def test_parts_go_where_the_file_folder_or_referent_belongs(
    git_spec: McpServerSpec, filesystem_spec: McpServerSpec, files: Path, repo: Path
) -> None:
    (files / "data").mkdir()
    (files / "data" / "budget.csv").write_text("item,amount\nrent,1200\nfood,450\n")
    (repo / "app.py").write_text("print('hello world')\n")  # an unstaged change
    general = ScriptedChatModel(replies=[])
    coder = ScriptedChatModel(replies=[MESSAGE])
    embedder = default_embedder()
    with Agent(
        targets=[
            default_graph(embedder),
            _expert(
                general,
                "general",
                "General-purpose chat assistant: writing and rewriting text, summaries, "
                "explanations of everyday topics, advice, recipes, jokes and poems.",
                ["writing", "general"],
            ),
            _expert(
                coder,
                "coder",
                "Programming specialist: writes, reviews and explains code in Python, "
                "JavaScript, SQL and shell; explains error messages; suggests fixes and tests.",
                ["programming", "code"],
            ),
        ],
        mcp=[git_spec, filesystem_spec],
        embedder=embedder,
        warm_spares=False,
    ) as agent:
        budget = agent.run("read the budget file data/budget.csv")
        docs = agent.run("show me what's in the docs folder")
        river = agent.run("which river flows through Vienna, and where does it flow into?")
        diff = agent.run(
            "show me the unstaged changes, then write a better commit message for them"
        )
    assert [s.target for s in budget.steps] in (
        ["filesystem.read_text_file"],
        ["filesystem.read_file"],
    ), budget.trace
    assert "rent" in budget.answer
    assert next(s.target for s in docs.steps).startswith("filesystem.list_directory"), [
        e.data for e in docs.trace if e.kind == "plan"
    ]
    assert "guide.md" in docs.answer
    assert [s.target for s in river.steps] == ["geography", "geography"], river.trace
    assert "Danube" in river.answer and "Black Sea" in river.answer, river.answer
    assert [s.target for s in diff.steps] == ["git.git_diff_unstaged", "coder"], diff.trace
    assert "hello world" in diff.answer and MESSAGE in diff.answer
    general.assert_consumed()
    coder.assert_consumed()
