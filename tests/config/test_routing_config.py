"""``[routing]`` in agentroute.toml: outcome files warm the router, and ``kind = "cascade"``
puts the experts behind one cascade target that answers real recorded RouterBench outputs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from agentroute import Agent, TargetKind, load_config
from agentroute.routing import load_outcome_table, normalise_answer
from agentroute.testing import OneStepPlanner

YI, MIXTRAL, GPT4 = "zero-one-ai/Yi-34B-Chat", "mistralai/mixtral-8x7b-chat", "gpt-4-1106-preview"


def arc_csv() -> Path:
    env = os.environ.get("AGENTROUTE_ROUTERBENCH")
    root = Path(env) if env else Path(__file__).resolve().parents[2] / "data/routerbench"
    return root / "arc_challenge_train.csv"


def test_routing_paths_resolve_and_absolute_paths_stay(tmp_path: Path) -> None:
    (tmp_path / "agentroute.toml").write_text(
        f'[experts.yi]\nreplay = "{arc_csv()}"\nreplay_model = "{YI}"\n\n'
        '[routing]\noutcomes = ["o.jsonl"]\n'
    )
    config = load_config(tmp_path / "agentroute.toml")
    assert config.routing.outcomes == [tmp_path / "o.jsonl"]
    assert config.experts["yi"].replay == arc_csv()


def test_cascade_config_answers_from_cheap_models_or_escalates(tmp_path: Path) -> None:
    table = load_outcome_table(arc_csv(), keep_responses=True)
    cols = [table.models.index(m) for m in (YI, MIXTRAL, GPT4)]

    def said(i: int, j: int) -> str:
        return normalise_answer(table.responses.get((i, j), ""))

    agree = next(i for i in range(len(table)) if said(i, cols[0]) == said(i, cols[1]))
    differ = next(i for i in range(len(table)) if said(i, cols[0]) != said(i, cols[1]))
    with (tmp_path / "outcomes.jsonl").open("w") as fh:  # what the router learns from
        for i in range(len(table)):
            if i in (agree, differ) or i % 5:
                continue
            for m, j in zip(("yi", "mixtral", "gpt4"), cols, strict=True):  # experts' names
                row = {"query": table.queries[i], "model": m, "task": "arc"}
                row |= {"quality": table.quality[i, j], "cost_usd": table.cost[i, j]}
                fh.write(json.dumps(row) + "\n")
    experts = "".join(
        f'[experts.{key}]\nreplay = "{arc_csv()}"\nreplay_model = "{model}"\n\n'
        for key, model in (("yi", YI), ("mixtral", MIXTRAL), ("gpt4", GPT4))
    )
    (tmp_path / "agentroute.toml").write_text(
        f"""[agent]
builtin_targets = false
max_rounds = 1

[memory]
enabled = false

{experts}[routing]
kind = "cascade"
dollars_per_point = inf
outcomes = ["outcomes.jsonl"]
"""
    )
    with Agent.from_config(tmp_path / "agentroute.toml", planner=OneStepPlanner()) as agent:
        assert [t.name for t in agent.targets() if t.kind is TargetKind.EXPERT] == ["cascade"]
        accepted = agent.run(table.queries[agree])
        escalated = agent.run(table.queries[differ])
    step = accepted.steps[0]
    assert step.ok and step.target == "cascade"
    assert {s.name for s in step.sources} == {"yi", "mixtral"}, step.data
    assert normalise_answer(step.result) == said(agree, cols[0])
    step = escalated.steps[0]
    assert step.ok and {s.name for s in step.sources} == {"yi", "mixtral", "gpt4"}
    assert normalise_answer(step.result) == said(differ, cols[2])
    want = table.cost[differ, cols].sum()
    assert np.isclose(escalated.cost_usd, want), (escalated.cost_usd, want)


def test_a_bad_outcome_file_names_the_config_field(tmp_path: Path) -> None:
    import pytest

    from agentroute import ConfigError

    (tmp_path / "bad.jsonl").write_text('{"query": "x", "model": "yi"}\n')
    (tmp_path / "agentroute.toml").write_text(
        f"[agent]\nbuiltin_targets = false\n\n[memory]\nenabled = false\n\n"
        f'[experts.yi]\nreplay = "{arc_csv()}"\nreplay_model = "{YI}"\n\n'
        f'[experts.gpt4]\nreplay = "{arc_csv()}"\nreplay_model = "{GPT4}"\n\n'
        '[routing]\noutcomes = ["bad.jsonl"]\n'
    )
    with pytest.raises(ConfigError) as err:
        Agent.from_config(tmp_path / "agentroute.toml")
    assert err.value.field == "routing.outcomes" and err.value.line == 16
    assert "bad.jsonl" in str(err.value) and "agentroute.toml:16" in str(err.value)


def test_a_missing_outcome_file_names_the_config_field(tmp_path: Path) -> None:
    """It was a bare FileNotFoundError, naming no setting."""
    import pytest

    from agentroute import ConfigError

    (tmp_path / "agentroute.toml").write_text(
        f"[agent]\nbuiltin_targets = false\n\n[memory]\nenabled = false\n\n"
        f'[experts.yi]\nreplay = "{arc_csv()}"\nreplay_model = "{YI}"\n\n'
        f'[experts.gpt4]\nreplay = "{arc_csv()}"\nreplay_model = "{GPT4}"\n\n'
        '[routing]\noutcomes = ["gone.jsonl"]\n'
    )
    with pytest.raises(ConfigError) as err:
        Agent.from_config(tmp_path / "agentroute.toml")
    assert (err.value.field, err.value.line) == ("routing.outcomes", 16)
    assert "gone.jsonl" in str(err.value)


def test_exploration_is_configured_and_a_negative_one_is_refused_with_its_field(
    tmp_path: Path,
) -> None:
    import pytest

    from agentroute.build import expert_routing
    from agentroute.config import ConfigError
    from agentroute.embeddings import HashingEmbedder

    toml = tmp_path / "agentroute.toml"
    toml.write_text(
        f'[agent]\ndata_dir = "{tmp_path / "data"}"\n\n'
        f'[experts.yi]\nreplay = "{arc_csv()}"\nreplay_model = "{YI}"\n\n'
        "[routing]\nexplore = 2.0\nexplore_cap = 0.05\n"
    )
    router, store = expert_routing(load_config(toml), HashingEmbedder(), [])
    store.close()
    assert (router.config.explore, router.config.explore_cap) == (2.0, 0.05)
    toml.write_text(toml.read_text().replace("explore = 2.0", "explore = -1"))
    with pytest.raises(ConfigError) as err:
        load_config(toml)
    assert "routing.explore" in str(err.value) and ":9" in str(err.value)
