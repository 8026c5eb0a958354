"""Tools asked for in other words than their own, through the real Agent with the official
time, git and filesystem servers and a general expert.

Measured before (blind set 19): "git history please" showed the unstaged diff; "is it evening
in London yet" went to the general expert; "how many hours ahead of UTC is Tokyo?" told the
time in UTC (no time of day to convert); "jot down 'buy stamps' in errands.txt" was declined;
"mkdir projects" created the server's root; "first line of notes.txt and the last commit"
planned ``git_commit``, a write for a read; "how big is the budget file" found no path to
look at; "diff of HEAD~2" asked git for the ref "of HEAD".
"""

from __future__ import annotations

from pathlib import Path

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.embeddings import default_embedder
from agentroute.mcp import McpServerSpec
from agentroute.testing import ScriptedChatModel

WRITERS = {"git.git_commit", "git.git_add", "git.git_reset", "git.git_create_branch",
           "git.git_checkout", "filesystem.write_file", "filesystem.edit_file",
           "filesystem.create_directory", "filesystem.move_file"}  # fmt: skip


def _general() -> ChatModelExpert:
    return ChatModelExpert(
        ScriptedChatModel(replies=["GENERAL"] * 10),
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


def test_tools_asked_for_in_other_words(
    time_spec: McpServerSpec,
    git_spec: McpServerSpec,
    filesystem_spec: McpServerSpec,
    files: Path,
) -> None:
    with Agent(
        targets=[_general()],
        mcp=[time_spec, git_spec, filesystem_spec],
        embedder=default_embedder(),
        warm_spares=False,
    ) as agent:
        history = agent.run("git history please")
        evening = agent.run("is it evening in London yet")
        ahead = agent.run("how many hours ahead of UTC is Tokyo?")
        jotted = agent.run("jot down 'buy stamps' in errands.txt", thread="w1")
        while jotted.pending_approval is not None:  # the write the user asked for: yes
            jotted = agent.resume("w1", True)
        made = agent.run("mkdir projects", thread="w2")
        while made.pending_approval is not None:
            made = agent.resume("w2", True)
        mixed = agent.run("first line of notes.txt and the last commit")
        stem = agent.run("how big is the notes file")
        revision = agent.run("diff of HEAD~1")

    assert _targets(history) == ["git.git_log"], history.trace
    assert "Add the app entry point" in history.answer
    assert _targets(evening) == ["time.get_current_time"], evening.trace
    assert "Europe/London" in evening.answer
    assert _targets(ahead) == ["time.convert_time"], ahead.trace
    assert "+9.0h" in ahead.answer, ahead.answer
    assert _targets(jotted) == ["filesystem.write_file"], jotted.trace
    assert (files / "errands.txt").read_text() == "buy stamps"
    assert _targets(made) == ["filesystem.create_directory"], made.trace
    assert (files / "projects").is_dir()
    assert not set(_targets(mixed)) & WRITERS, mixed.trace
    assert "alpha line" in mixed.answer
    assert _targets(stem) == ["filesystem.get_file_info"], stem.trace
    assert "size" in stem.answer and stem.steps[0].ok, stem.answer
    assert _targets(revision) == ["git.git_diff"], revision.trace
    assert revision.steps[0].ok and "app.py" in revision.answer, revision.answer
