"""Through a real Agent: outcomes labelled with one task, so the task level says nothing per
query. A new expert with only 20 outcomes, all on ARC prompts and all agreeing with the
expert that is poor on ARC and good on Winogrande, has none of its own near a Winogrande
prompt, yet is predicted well above its level there, as the expert it behaves like; with
borrowing switched off (``outcome_resemblance = 0``) it stays at its level."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from agentroute import Agent
from agentroute.routing import load_outcome_table
from agentroute.testing import OneStepPlanner

from .conftest import replay_config, routerbench

RATES = {"alpha": (0.9, 0.2), "beta": (0.2, 0.9), "gamma": (0.55, 0.55)}  # (arc, winogrande)


def configure(tmp_path: Path) -> Path:
    arc = load_outcome_table(routerbench("arc_challenge_train.csv"))
    wino = load_outcome_table(routerbench("winograde_train.csv"))
    rng = np.random.default_rng(0)
    with (tmp_path / "outcomes.jsonl").open("w") as fh:
        for t, (table, task) in enumerate(((arc, "arc"), (wino, "winogrande"))):
            for i in range(1, 150):  # query 0 is kept for the agent
                row = {"query": table.queries[i], "task": "all", "cost_usd": 0.01}
                drawn = {m: float(rng.random() < rates[t]) for m, rates in RATES.items()}
                for model, quality in drawn.items():
                    fh.write(json.dumps({**row, "model": model, "quality": quality}) + "\n")
                if task == "arc" and i <= 20:  # the newcomer: beta's outcomes, on ARC only
                    fh.write(json.dumps({**row, "model": "delta", "quality": drawn["beta"]}) + "\n")
    return replay_config(tmp_path, dict.fromkeys((*RATES, "delta"), "gpt-4-1106-preview"))


def test_a_new_expert_is_judged_like_the_expert_its_few_outcomes_agree_with(
    tmp_path: Path,
) -> None:
    wino = load_outcome_table(routerbench("winograde_train.csv"))
    config = configure(tmp_path)
    predicted = {}
    for strength in (3.0, 0.0):
        with Agent.from_config(config, planner=OneStepPlanner()) as agent:
            agent._model_router.outcome_resemblance = strength  # type: ignore[union-attr]
            route = agent.run(wino.queries[0]).steps[0].route
        assert route is not None
        q = {a.target: a.predicted_quality or 0.0 for a in route.alternatives}
        predicted[strength] = q
    borrowed, off = predicted[3.0], predicted[0.0]
    assert borrowed["delta"] > off["delta"] + 0.15, (borrowed, off)
