"""Places outside what the servers serve, through the real Agent graph with the official git
and filesystem servers and a general expert: declined before any call.

Measured before (dev decline sets; blind set 21 kept them): "list the files on my desktop",
"what files are on my USB stick" and "what's in my Documents folder" listed the file server's own
directory; "read C:\\Users\\me\\notes.txt" planned a read that could only fail; "show the
commits in the react repository" showed the served repository's log as if it were React's;
"what's different between v1.0 and v2.0" went to the general expert, though the repository has
no such tags.
"""

from __future__ import annotations

from pathlib import Path

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.embeddings import default_embedder
from agentroute.mcp import McpServerSpec
from agentroute.testing import ScriptedChatModel

OUTSIDE = [
    "list the files on my desktop",
    "what files are on my USB stick",
    "what's in my Documents folder",
    "read C:\\Users\\me\\notes.txt",
    "show the commits in the react repository",
    "what's different between v1.0 and v2.0",  # no such tags in the repository
]


def test_places_outside_the_servers_are_declined(
    git_spec: McpServerSpec, filesystem_spec: McpServerSpec, files: Path, repo: Path
) -> None:
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
        targets=[general], mcp=[git_spec, filesystem_spec], embedder=default_embedder(),
        warm_spares=False,
    ) as agent:  # fmt: skip
        outside = {request: agent.run(request) for request in OUTSIDE}
        ours = agent.run("show the commits in this repository")
        listed = agent.run("list the files in the docs folder")
    for request, result in outside.items():
        assert result.steps == [], (request, [s.target for s in result.steps])
        assert "No suitable target" in result.answer, (request, result.answer)
    assert [s.target for s in ours.steps] == ["git.git_log"], ours.trace
    assert next(s.target for s in listed.steps).startswith("filesystem."), listed.trace
