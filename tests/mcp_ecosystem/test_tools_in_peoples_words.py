"""Tools answer what their descriptions promise in the words people use, through the real
Agent with the calculator, the official time, git, filesystem and everything servers and a
general expert (issue 13, item 7; blind set 22).

Measured before: "how many days between 1 March 2026 and 15 April 2026" went to the unit
converter ("no unit follows the quantity 1"); "round 1234 to the nearest hundred" failed in
the calculator; "what did i change since the last commit" showed the (empty) staged diff;
"which files changed in the last commit" too; "show notes.txt, I want to update it later" and
"show me the diff, don't commit yet" each planned a second step for the aside (the general
expert, a second diff); "what's in the docs folder before i move things around" listed the
allowed directories; "ask the everything server to add 7 and 5" went to the calculator.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.build import builtin_mcp_specs
from agentroute.embeddings import default_embedder
from agentroute.mcp import McpServerSpec
from agentroute.testing import ScriptedChatModel

WRITERS = {"git.git_commit", "git.git_add", "git.git_reset", "git.git_create_branch",
           "git.git_checkout", "filesystem.write_file", "filesystem.edit_file",
           "filesystem.create_directory", "filesystem.move_file"}  # fmt: skip


def _general() -> ChatModelExpert:
    return ChatModelExpert(
        ScriptedChatModel(replies=["GENERAL"] * 20),
        TargetDescriptor(
            name="general",
            kind=TargetKind.EXPERT,
            description="General-purpose chat assistant: writing and rewriting text, summaries, "
            "explanations of everyday topics, advice, recipes, jokes and poems.",
            domains=["writing", "general"],
        ),
    )


def _targets(result: object) -> list[str]:
    return [s.target for s in result.steps]  # type: ignore[attr-defined]


def test_tools_in_the_words_people_use(
    time_spec: McpServerSpec,
    git_spec: McpServerSpec,
    filesystem_spec: McpServerSpec,
    everything_spec: McpServerSpec,
    repo: Path,
) -> None:
    (repo / "app.py").write_text("print('hello world')\n")  # an unstaged change
    with Agent(
        targets=[_general()],
        mcp=[*builtin_mcp_specs(), time_spec, git_spec, filesystem_spec, everything_spec],
        embedder=default_embedder(),
        warm_spares=False,
    ) as agent:
        span = agent.run("how many days between 1 March 2026 and 15 April 2026")
        rounded = agent.run("round 1234 to the nearest hundred")
        since = agent.run("what did i change since the last commit")
        last = agent.run("which files changed in the last commit")
        later = agent.run("show notes.txt, I want to update it later")
        not_yet = agent.run("show me the diff, don't commit yet")
        before = agent.run("what's in the docs folder before i move things around")
        named = agent.run("ask the everything server to add 7 and 5")

    assert _targets(span) == ["calc.calculate"], span.trace
    assert "45 days" in span.answer
    assert _targets(rounded) == ["calc.calculate"], rounded.trace
    assert "1200" in rounded.answer
    assert _targets(since) == ["git.git_diff_unstaged"], since.trace
    assert "hello world" in since.answer
    assert _targets(last) == ["git.git_show"], last.trace
    assert "app.py" in last.answer
    assert _targets(later) in (["filesystem.read_text_file"], ["filesystem.read_file"]), later.trace
    assert "alpha line" in later.answer
    assert _targets(not_yet) == ["git.git_diff_unstaged"], not_yet.trace
    assert _targets(before) == ["filesystem.list_directory"], before.trace
    assert "guide.md" in before.answer
    assert _targets(named) == ["everything.get-sum"], named.trace
    assert "12" in named.answer
    for result in (since, last, later, not_yet, before):
        assert not set(_targets(result)) & WRITERS, result.trace
    assert (
        subprocess.run(
            ["git", "status", "--porcelain"], cwd=repo, capture_output=True, text=True, check=True
        )
        .stdout.strip()
        .startswith("M app.py")
    )  # nothing was committed or reset
