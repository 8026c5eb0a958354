"""Files the request names, through the real Agent graph with the official git and filesystem
servers and a general expert: only what the servers hold is read.

Measured before (blind set 18): "open vacation_photos.zip" with no such file, "cat
config/settings.yaml", "what's in the folder called music" and "open /var/log/auth.log" or
"read /etc/hosts" (outside the allowed directory) each planned a read that could only fail
("ENOENT", "Access denied"); "read guide.md" failed although docs/guide.md is there (the server resolves a
bare name against its root only); "what edits did I make to app.py" read app.py from the
file server, which has none (it is the repository's), and "config.toml at HEAD" showed the
last commit instead of the file; "where is guide.md?" found no glob to search with, and
"list docs" listed the root (a folder named by its bare name).
"""

from __future__ import annotations

from pathlib import Path

from agentroute import Agent, ChatModelExpert, TargetDescriptor, TargetKind
from agentroute.embeddings import default_embedder
from agentroute.mcp import McpServerSpec
from agentroute.testing import ScriptedChatModel

MADE_UP = [
    "open vacation_photos.zip",
    "cat config/settings.yaml",
    "what's in the folder called music",
    "open /var/log/auth.log",
    "read /etc/hosts",
]


def _general(model: ScriptedChatModel) -> ChatModelExpert:
    return ChatModelExpert(
        model,
        TargetDescriptor(
            name="general",
            kind=TargetKind.EXPERT,
            description="General-purpose chat assistant: writing and rewriting text, summaries, "
            "explanations of everyday topics, advice, recipes, jokes and poems.",
            domains=["writing", "general"],
        ),
    )


def test_only_files_the_servers_hold_are_read(
    git_spec: McpServerSpec, filesystem_spec: McpServerSpec, files: Path, repo: Path
) -> None:
    (repo / "app.py").write_text("print('hello world')\n")  # an unstaged change
    general = ScriptedChatModel(replies=[])
    with Agent(
        targets=[_general(general)],
        mcp=[git_spec, filesystem_spec],
        embedder=default_embedder(),
        warm_spares=False,
    ) as agent:
        made_up = {request: agent.run(request) for request in MADE_UP}
        guide = agent.run("read guide.md")
        edits = agent.run("what edits did I make to app.py")
        at_head = agent.run("what was in app.py at HEAD")
        where = agent.run("where is guide.md?")
        docs = agent.run("list docs")
        written = agent.run("write 'hello' into a file called greeting.txt", thread="w")
        while written.pending_approval is not None:  # the user says yes to the write
            written = agent.resume("w", True)
    for request, result in made_up.items():
        assert result.steps == [], (request, [s.target for s in result.steps])
        assert "No suitable target" in result.answer, (request, result.answer)
        plan = next(e.data for e in result.trace if e.kind == "plan")
        assert "does not hold it" in str(plan), (request, plan)
    assert next(s.target for s in guide.steps).startswith("filesystem.read"), guide.trace
    assert "Use the router" in guide.answer, guide.answer
    assert [s.target for s in edits.steps] == ["git.git_diff_unstaged"], edits.trace
    assert "hello world" in edits.answer
    assert [s.target for s in at_head.steps] == ["git.git_show"], at_head.trace
    assert "print('hi')" in at_head.answer, at_head.answer
    assert [s.target for s in where.steps] == ["filesystem.search_files"], where.trace
    assert "docs/guide.md" in where.answer, where.answer
    assert next(s.target for s in docs.steps).startswith("filesystem.list_directory"), docs.trace
    assert "guide.md" in docs.answer and "notes.txt" not in docs.answer, docs.answer
    # a file to write is not there yet: never declined for it
    assert [s.target for s in written.steps] == ["filesystem.write_file"], written.trace
    assert (files / "greeting.txt").read_text() == "hello"
    general.assert_consumed()  # a made-up file is no topic for the general expert
