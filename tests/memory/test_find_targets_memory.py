"""`Agent.find_targets` ranks as a turn does: a tool that served a similar request rises."""

from __future__ import annotations

from pathlib import Path

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.memory import CaseBank
from agentroute.testing import OneStepPlanner, ScriptedTarget

DOCS = "Show the written contents of a document"
NOTES = "Show the written contents of a saved note"


def targets() -> list[ScriptedTarget]:
    return [
        ScriptedTarget("files.read_document", "the document says hi", description=DOCS),
        ScriptedTarget("notes.read_note", "the note says hi", description=NOTES),
    ]


def test_a_tool_that_served_a_similar_request_rises(tmp_path: Path) -> None:
    embedder = default_embedder()
    names = {"files.read_document": DOCS, "notes.read_note": NOTES}
    bank = CaseBank.open(tmp_path / "memory", embedder=embedder, targets=lambda: names)
    later = "show me what the quarterly plan says, please"
    with Agent(targets=targets(), checkpoint=False) as cold:
        before = {h.descriptor.name: h.rank_score for h in cold.find_targets(later, k=2)}
    with Agent(
        targets=targets(),
        planner=OneStepPlanner("notes.read_note"),
        memory=bank,
        checkpoint=False,
    ) as agent:
        first = agent.run("show me what the quarterly plan says")  # a real turn, remembered
        assert first.case_id is not None and first.steps[0].ok
        after = {h.descriptor.name: h.rank_score for h in agent.find_targets(later, k=2)}
    bank.close()
    assert after["notes.read_note"] > before["notes.read_note"] + 0.05
    assert after["files.read_document"] == before["files.read_document"]
    assert max(after, key=after.__getitem__) == "notes.read_note"
