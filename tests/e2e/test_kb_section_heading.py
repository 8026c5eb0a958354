"""Through the real Agent and graph: a passage is about what its section heading says. "Who is
the HR lead?" of a base whose "## HR" section says "Lead: Anna Schmidt" was declined ("no
passage about HR"): the checks that a passage answers read its title alone, while it was
embedded and is found word for word under its title and section ("Roles › HR")."""

from __future__ import annotations

from pathlib import Path

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase

ROLES = "# Roles\n\n## HR\nLead: Anna Schmidt\n\n## Finance\nLead: Tom Berg\n"


def test_a_section_heading_names_what_its_passage_is_about(tmp_path: Path) -> None:
    (tmp_path / "roles.md").write_text(ROLES)
    embedder = default_embedder()
    team = ChromaKnowledgeBase("team", tmp_path / "kb", embedder, description="Team notes.")
    team.ingest([str(tmp_path / "roles.md")])
    with Agent(targets=[team], embedder=embedder, warm_spares=False) as agent:
        asked = agent.run("Who is the HR lead?")
        unknown = agent.run("Who is the Legal lead?")
    assert [s.target for s in asked.steps] == ["team"] and asked.steps[0].ok, asked.answer
    assert "Anna Schmidt" in asked.answer and "Roles › HR" in asked.answer
    assert not unknown.steps and unknown.unmatched  # a section it does not have: declined
