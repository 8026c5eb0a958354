"""Through a real Agent: an expert configured under a misspelling of a model its outcome file
names (no description, no price) is not tried in place of the known expert on the exploration
bonus; the step's reason names the model it probably means."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from agentroute import Agent
from agentroute.routing import load_outcome_table
from agentroute.testing import OneStepPlanner

from .conftest import replay_config, routerbench


def configure(tmp_path: Path) -> Path:
    """Outcomes of three models right on 70% / 65% / 60% of 149 ARC prompts at one price;
    experts: the best one, and 'betta' (meant: beta) with nothing but its name."""
    arc = load_outcome_table(routerbench("arc_challenge_train.csv"))
    rng = np.random.default_rng(0)
    with (tmp_path / "outcomes.jsonl").open("w") as fh:
        for i in range(1, 150):  # query 0 is kept for the agent
            for model, p in (("alpha", 0.7), ("beta", 0.65), ("gamma", 0.6)):
                row = {"query": arc.queries[i], "model": model, "task": "arc"}
                row |= {"quality": float(rng.random() < p), "cost_usd": 0.01}
                fh.write(json.dumps(row) + "\n")
    return replay_config(tmp_path, dict.fromkeys(("alpha", "betta"), "gpt-4-1106-preview"))


def test_a_misspelt_expert_is_not_explored_and_the_reason_names_the_model(
    tmp_path: Path,
) -> None:
    arc = load_outcome_table(routerbench("arc_challenge_train.csv"))
    with Agent.from_config(configure(tmp_path), planner=OneStepPlanner()) as agent:
        result = agent.run(arc.queries[0])
    route = result.steps[0].route
    assert route is not None and route.target == "alpha", route
    assert "betta has no outcomes: did you mean beta? (not explored)" in route.reason
    assert {a.target for a in route.alternatives} == {"alpha", "betta"}
