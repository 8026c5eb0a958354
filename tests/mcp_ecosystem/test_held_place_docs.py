"""A file the file server does not hold, asked about where a knowledge base fits, through the
real Agent with the official filesystem server and a general expert: the base answers, it is
not declined, while a read of a file not there still is.

Measured on the planning benchmark (train command-045): "Explain how to configure an MCP
server in agentroute.toml." first planned a read of agentroute.toml that could only fail;
declining a file the server does not hold then declined it. In this smaller target set the
base leads on its own: this guards the outcome, the benchmark item measures the rule.
"""

from __future__ import annotations

from pathlib import Path

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document
from agentroute.mcp import McpServerSpec
from agentroute.testing import FunctionChatModel

CONFIG = (
    "Configuration lives in agentroute.toml. Each MCP server is a [mcp.NAME] table with a "
    "command and its args, for example [mcp.git] command = 'uvx' args = ['mcp-server-git']."
)


def test_a_question_about_a_file_no_server_holds_goes_to_the_docs(
    filesystem_spec: McpServerSpec, tmp_path: Path
) -> None:
    embedder = default_embedder()
    docs = ChromaKnowledgeBase(
        "project_docs",
        tmp_path / "kb",
        embedder,
        description="The agentroute project's own documentation: installation, configuration "
        "(agentroute.toml), commands, architecture.",
        examples=["How do I install agentroute?", "How do I configure agentroute?"],
    )
    docs.add([Document(id="config", title="Configuration", text=CONFIG)])
    general = ChatModelExpert(
        FunctionChatModel(function=lambda _messages: "GENERAL"),
        TargetDescriptor(
            name="general",
            kind=TargetKind.EXPERT,
            description="General-purpose chat assistant: writing and rewriting text, summaries, "
            "explanations of everyday topics, advice, brainstorming ideas, recipes, jokes and "
            "poems, drafting emails and messages.",
            domains=["writing", "general", "advice", "creative"],
        ),
    )
    targets = [docs, general]
    with Agent(targets=targets, mcp=[filesystem_spec], embedder=embedder, warm_spares=False) as a:
        result = a.run("Explain how to configure an MCP server in agentroute.toml.")
        made_up = a.run("open vacation_photos.zip")
        outside = a.run("read /etc/hosts")
    assert [s.target for s in result.steps] == ["project_docs"], result.trace
    assert "agentroute.toml" in result.answer, result.answer
    assert made_up.steps == [], made_up.trace  # a read of a file not there is still declined
    assert outside.steps == [], outside.trace  # a path written out is a file, never a topic
