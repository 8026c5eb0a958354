"""A policy denial is the policy's verdict, not evidence that the route was wrong.

Through the real turn graph, the official filesystem MCP server (npm), a policy file and the
chromadb case bank: reads denied under one folder must not teach memory to plan an allowed
read elsewhere as anything but a read of the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.embeddings._base import Embedder
from agentroute.mcp import McpServerSpec
from agentroute.memory import CaseBank, Judge
from agentroute.turn._result import TurnResult

REPO = Path(__file__).resolve().parents[2]
SERVER = REPO / ".ci/node/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js"
RULES = REPO / "policies/lib/filesystem-rules.policy"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return default_embedder()


@pytest.fixture
def sandbox(tmp_path: Path) -> tuple[Path, McpServerSpec]:
    """A data root with a private folder (reads denied or asked) and a public one."""
    if not SERVER.is_file():
        pytest.fail(f"{SERVER} is missing: run `bash .ci/install_ecosystem.sh`")
    root = tmp_path / "data"
    (root / "private").mkdir(parents=True)
    (root / "public").mkdir()
    for i in range(4):
        (root / "private" / f"report{i}.txt").write_text(f"private figures {i}\n")
    (root / "public" / "notes.txt").write_text("the launch code is in the blue folder\n")
    spec = McpServerSpec(name="filesystem", command="node", args=[str(SERVER), str(tmp_path)])
    return root, spec


READ_TOOLS = ("filesystem.read_file", "filesystem.read_text_file")


def _policy(tmp_path: Path, root: Path, effect: str) -> Path:
    """Reading a file's contents under private/ is ``effect``; listings and metadata are not."""
    reads = "filesystem.read_file, filesystem.read_text_file, filesystem.read_media_file"
    private = f'r"{root}/private(/.*)?"'
    policy = tmp_path / "fs.policy"
    policy.write_text(
        "scope server filesystem {\n"
        f"  {effect} {reads} when normpath(path) matches {private}\n"
        '    priority 10 fallback "The private folder is off limits."\n'
        "  deny filesystem.read_multiple_files\n"
        f"    when any(p in paths: normpath(p) matches {private}) priority 10\n"
        "}\n"
        f'let root = r"{root}(/.*)?"\n'
        f'include "{RULES}"\n'
    )
    return policy


MakeAgent = Callable[..., tuple[Agent, CaseBank]]


@pytest.fixture
def agent_on(embedder: Embedder, sandbox: tuple[Path, McpServerSpec]) -> Iterator[MakeAgent]:
    """``agent_on(memory_dir, policy, **kw)``: an agent over a chromadb bank at that folder."""
    opened: list[tuple[Agent, CaseBank]] = []

    def make(memory: Path, policy: Path, **kw: Any) -> tuple[Agent, CaseBank]:
        live: list[Agent] = []
        bank = CaseBank.open(
            memory, embedder=embedder, targets=lambda: live[0].target_descriptions()
        )
        agent = Agent(mcp=[sandbox[1]], policy=policy, memory=bank, embedder=embedder, **kw)
        live.append(agent)
        opened.append((agent, bank))
        return agent.start(), bank

    yield make
    for agent, bank in opened:
        agent.close()
        bank.close()


def test_denied_reads_leave_an_allowed_read_planned_to_read_file(
    tmp_path: Path, sandbox: tuple[Path, McpServerSpec], agent_on: MakeAgent
) -> None:
    root, _ = sandbox
    policy = _policy(tmp_path, root, "deny")
    allowed = f"Read the file {root / 'public' / 'notes.txt'}"

    fresh_agent, _ = agent_on(tmp_path / "fresh-memory", policy, checkpoint=False)
    fresh = fresh_agent.run(allowed)
    assert [s.target for s in fresh.steps] == ["filesystem.read_file"] and fresh.steps[0].ok

    agent, bank = agent_on(tmp_path / "memory", policy, checkpoint=False)
    denied: list[TurnResult] = [
        agent.run(f"Read the file {root / 'private' / f'report{i}.txt'}") for i in range(4)
    ]
    for turn in denied:
        # either reading tool is a right plan ("report0.txt" reads as read_text_file's job);
        # the policy denies both
        assert turn.steps[0].target in READ_TOOLS
        assert turn.steps[0].policy is not None and turn.steps[0].policy.effect == "deny"
        case = bank.get(turn.case_id or "")
        assert case is not None, "the denial is remembered, as a denial"
        assert case.outcome.judged_by is Judge.POLICY and case.outcome.verdict is None
        assert case.results[0].policy == "deny"
        assert "private figures" not in turn.answer
    # the later denied turns recalled the earlier ones: none of them counted as a failure
    assert denied[-1].memory and all(h.success is None for h in denied[-1].memory)

    last = agent.run(allowed)
    assert last.memory, "the denied cases are similar enough to be recalled"
    assert not any(h.success is False for h in last.memory)
    assert [s.target for s in last.steps] == [s.target for s in fresh.steps]
    assert last.steps[0].ok and "blue folder" in last.answer


def test_a_read_a_human_refused_does_not_count_against_the_case_it_recalled(
    tmp_path: Path, sandbox: tuple[Path, McpServerSpec], agent_on: MakeAgent
) -> None:
    root, _ = sandbox
    policy = _policy(tmp_path, root, "ask")
    agent, bank = agent_on(tmp_path / "memory", policy, max_rounds=1)

    good = agent.run(f"Read the file {root / 'public' / 'notes.txt'}", thread="t1")
    assert good.steps[0].target == "filesystem.read_file" and good.steps[0].ok
    assert good.case_id is not None

    asked = agent.run(f"Read the file {root / 'private' / 'report0.txt'}", thread="t2")
    assert asked.pending_approval is not None
    refused = agent.resume("t2", False)
    assert good.case_id in [h.case_id for h in refused.memory]
    step = refused.steps[0]
    assert not step.ok and step.policy is not None and step.policy.effect == "deny"
    case = bank.get(refused.case_id or "")
    assert case is not None and case.outcome.judged_by is Judge.POLICY
    assert case.results[0].policy == "deny"

    recalled = bank.get(good.case_id)
    assert recalled is not None and recalled.recall.failures == 0
    again = agent.run(f"Read the file {root / 'public' / 'notes.txt'}", thread="t3")
    hit = next(h for h in again.memory if h.case_id == good.case_id)
    assert hit.success is True and hit.utility >= 0.7
    assert again.steps[0].target == "filesystem.read_file" and again.steps[0].ok

    # Even a user's thumbs-down on the refused turn is no evidence against read_file: it
    # never ran, so the case offers no prior for (or against) it.
    assert agent.feedback(refused.turn_id, 0.0)
    later = agent.run(f"Read the file {root / 'public' / 'notes.txt'}", thread="t4")
    hit = next(h for h in later.memory if h.case_id == refused.case_id)
    assert hit.success is False and "filesystem.read_file" not in hit.targets
    assert later.steps[0].target == "filesystem.read_file" and later.steps[0].ok
