"""Through the real Agent and graph: a quoted passage shows its statement's cosine similarity
(at most 1), not the score claims are ranked by (cosine plus the share of the question's words
it writes, which went above 1: "similarity 1.10")."""

from __future__ import annotations

import re
from pathlib import Path

from agentroute import Agent
from agentroute.embeddings import default_embedder
from agentroute.knowledge import ChromaKnowledgeBase, Document


def test_a_quoted_passage_shows_a_similarity_of_at_most_one(tmp_path: Path) -> None:
    embedder = default_embedder()
    team = ChromaKnowledgeBase("team", tmp_path / "team", embedder, description="Team notes.")
    team.add(
        [
            Document(id="keys.md", title="Keys", text="The quux keys rotate every 90 days."),
            Document(id="lunch.md", title="Lunch", text="Lunch is served at noon on Fridays."),
        ]
    )
    with Agent(targets=[team], embedder=embedder, warm_spares=False) as agent:
        result = agent.run("How often are the quux keys rotated?")
    (step,) = result.steps
    assert step.ok and "90 days" in step.result
    shown = [float(v) for v in re.findall(r"similarity (\d+\.\d+)", step.result)]
    assert shown and all(v <= 1.0 for v in shown), step.result
    best = step.data["claims"][0]
    assert best["score"] > best["similarity"]  # the words it writes rank it, apart
    assert shown[0] == round(best["similarity"], 2)
