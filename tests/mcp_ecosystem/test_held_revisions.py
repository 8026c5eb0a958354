"""Branches and commits the request names, through the real Agent graph with the official git
server and a general expert: only what the repository has is read.

Measured before (blind sets 18 and 19): "show me the log of the release-3 branch", "what's in
commit deadbeef1234", "diff main against the staging branch" each ran a git tool that showed
another revision (the current branch's log, HEAD) or failed; the answer was of something else.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.embeddings import default_embedder
from agentroute.mcp import McpServerSpec
from agentroute.testing import ScriptedChatModel

MADE_UP = [
    "show me the log of the release-3 branch",
    "what's in commit deadbeef1234",
    "diff main against the staging branch",
    "who authored commit 9f8e7d6c",
]


def test_only_revisions_the_repository_has_are_read(git_spec: McpServerSpec, repo: Path) -> None:
    subprocess.run(["git", "branch", "feature-login"], cwd=repo, check=True, capture_output=True)
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
        targets=[general], mcp=[git_spec], embedder=default_embedder(), warm_spares=False
    ) as agent:
        made_up = {request: agent.run(request) for request in MADE_UP}
        real = agent.run("what's the last commit on the feature-login branch")
    for request, result in made_up.items():
        assert result.steps == [], (request, [s.target for s in result.steps])
        assert "No suitable target" in result.answer, (request, result.answer)
        plan = next(e.data for e in result.trace if e.kind == "plan")
        assert "the repository does not have it" in str(plan), (request, plan)
    assert real.steps and real.steps[0].target.startswith("git."), real.trace
    assert "feature-login" in real.answer and "No suitable target" not in real.answer, real.answer


def test_a_tag_or_commit_the_repository_lacks_is_declined_for_the_catch_all_too(
    git_spec: McpServerSpec, repo: Path
) -> None:
    """Blind set 20: "who wrote commit a1b2c3d4" went to the general expert (no git tool
    fit), which would invent an author; "the v2.3.1 tag" was no revision named, so the
    current branch's log answered. A tag the repository has is still read."""
    subprocess.run(["git", "tag", "v1.0"], cwd=repo, check=True, capture_output=True)
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
        targets=[general], mcp=[git_spec], embedder=default_embedder(), warm_spares=False
    ) as agent:
        made_up = {
            r: agent.run(r)
            for r in [
                "who wrote commit a1b2c3d4",
                "show the log of the v2.3.1 tag",
                "show commit abc123",
            ]
        }
        real = agent.run("show the log of the v1.0 tag")
    for request, result in made_up.items():
        assert result.steps == [], (request, [s.target for s in result.steps])
        plan = next(e.data for e in result.trace if e.kind == "plan")
        assert "the repository does not have it" in str(plan), (request, plan)
    assert real.steps and real.steps[0].target.startswith("git."), real.trace
    assert "Add the app entry point" in real.answer, real.answer
