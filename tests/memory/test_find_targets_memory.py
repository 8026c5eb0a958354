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


def test_a_part_that_failed_sinks_its_own_tool_not_the_one_that_answered(tmp_path: Path) -> None:
    """A two-part turn whose one part failed is evidence against the failed part's tool only."""
    from agentroute.testing import ScriptedPlanner

    clock = "Tell the current time in a city"
    names = {"files.read_document": DOCS, "notes.read_note": NOTES, "clock.now": clock}
    embedder = default_embedder()
    bank = CaseBank.open(tmp_path / "memory", embedder=embedder, targets=lambda: names)
    request = "show me what the quarterly plan says and what time it is in Tokyo"
    parts = [*targets(), ScriptedTarget("clock.now", description=clock, fail=True)]
    with Agent(targets=parts, checkpoint=False) as cold:
        before = {h.descriptor.name: h.rank_score for h in cold.find_targets(request, k=3)}
    planner = ScriptedPlanner(
        [
            ("show me what the quarterly plan says", "notes.read_note"),
            ("what time is it in Tokyo", "clock.now"),
        ],
        [],
    )
    with Agent(targets=parts, planner=planner, memory=bank, checkpoint=False) as agent:
        first = agent.run(request)  # a real turn: the note answered, the clock failed
        assert first.case_id is not None
        assert [s.ok for s in first.steps] == [True, False]
        after = {h.descriptor.name: h.rank_score for h in agent.find_targets(request, k=3)}
    bank.close()
    assert after["clock.now"] < before["clock.now"] - 0.05  # the failed part's tool sinks
    assert after["notes.read_note"] == before["notes.read_note"]  # the one that answered does not
