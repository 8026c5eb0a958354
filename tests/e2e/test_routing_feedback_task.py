"""Through a real Agent with configured experts (recorded RouterBench answers) and outcome
files: a decision among the configured experts, feedback filed under the task the router
infers for the query (never a task of its own), and a new expert configured with only a
description and a price judged from the experts it resembles."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from agentroute import Agent, TargetKind
from agentroute.routing import load_outcome_table
from agentroute.testing import OneStepPlanner

from .conftest import replay_config, routerbench

YI, MIXTRAL, GPT4 = "zero-one-ai/Yi-34B-Chat", "mistralai/mixtral-8x7b-chat", "gpt-4-1106-preview"


def configure(tmp_path: Path) -> Path:
    """Three experts with 149 outcomes each on ARC and Winogrande, and a newcomer described
    by its words and price only."""
    arc = load_outcome_table(routerbench("arc_challenge_train.csv"))
    wino = load_outcome_table(routerbench("winograde_train.csv"))
    names = {"yi": YI, "mixtral": MIXTRAL, "gpt4": GPT4}
    with (tmp_path / "outcomes.jsonl").open("w") as fh:
        for table, task in ((arc, "arc"), (wino, "winogrande")):
            for i in range(1, min(len(table), 150)):  # query 0 is kept for the agent
                for key, model in names.items():
                    j = table.models.index(model)
                    row = {"query": table.queries[i], "model": key, "task": task}
                    row |= {"quality": table.quality[i, j], "cost_usd": table.cost[i, j]}
                    fh.write(json.dumps(row) + "\n")
    newcomer = (
        'description = "open 34B chat model; strong knowledge and reasoning for its size"\n'
        "price_in_per_m = 0.8\nprice_out_per_m = 0.8\n"
    )
    return replay_config(tmp_path, {**names, "newcomer": YI}, {"newcomer": newcomer})


def test_feedback_through_the_agent_is_filed_under_the_inferred_task(tmp_path: Path) -> None:
    arc = load_outcome_table(routerbench("arc_challenge_train.csv"))
    with Agent.from_config(configure(tmp_path), planner=OneStepPlanner()) as agent:
        experts_seen = {t.name for t in agent.targets() if t.kind is TargetKind.EXPERT}
        assert experts_seen == {"yi", "mixtral", "gpt4", "newcomer"}
        result = agent.run(arc.queries[0])
        step = result.steps[0]
        assert step.ok and step.route is not None
        assert {a.target for a in step.route.alternatives} == experts_seen
        newcomer = next(a for a in step.route.alternatives if a.target == "newcomer")
        # Judged from the experts it resembles, not from a price prior or as free.
        assert newcomer.predicted_quality is not None and newcomer.predicted_quality > 0.6
        assert newcomer.predicted_cost is not None and newcomer.predicted_cost > 0
        assert agent.feedback(result.turn_id, 1.0)
    db = sqlite3.connect(tmp_path / "data" / "outcomes.sqlite")
    rows = db.execute("SELECT model, task FROM outcomes").fetchall()
    db.close()
    assert rows and all(task == "arc" for _, task in rows), rows


def test_the_agent_tries_a_new_expert_and_stops_once_feedback_shows_it_is_poor(
    tmp_path: Path,
) -> None:
    """Exploring is the default: the described newcomer is tried first (the reason says so);
    each bad reward through ``Agent.feedback`` lowers it, and a few end the trying."""
    arc = load_outcome_table(routerbench("arc_challenge_train.csv"))
    with Agent.from_config(configure(tmp_path), planner=OneStepPlanner()) as agent:
        tried = 0
        for i in range(150, 190):  # ARC queries none of the outcomes has
            result = agent.run(arc.queries[i])
            route = result.steps[0].route
            assert route is not None
            if route.target != "newcomer":
                break
            assert "exploring" in route.reason, route.reason
            tried += 1
            assert agent.feedback(result.turn_id, 0.0)
        else:
            raise AssertionError("the newcomer was still tried after 40 bad rewards")
    assert 1 <= tried <= 20, tried


def test_good_feedback_keeps_a_new_expert_chosen(tmp_path: Path) -> None:
    """The same newcomer rewarded well through ``Agent.feedback`` keeps being chosen, and its
    predicted quality rises with each reward."""
    arc = load_outcome_table(routerbench("arc_challenge_train.csv"))
    predicted = []
    with Agent.from_config(configure(tmp_path), planner=OneStepPlanner()) as agent:
        for i in range(150, 160):
            result = agent.run(arc.queries[i])
            route = result.steps[0].route
            assert route is not None and route.target == "newcomer", route
            predicted.append(route.predicted_quality or 0.0)
            assert agent.feedback(result.turn_id, 1.0)
    assert predicted[-1] > predicted[0] + 0.03, predicted
