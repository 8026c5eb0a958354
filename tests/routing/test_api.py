"""The routing API as a new user meets it: one default router kind, held-out evaluation,
outcome files without tasks or in LLMRouter's layout, outcomes without a task, and
``agentroute route explain --json`` (JSON only, configured experts, a cached fit)."""

from __future__ import annotations

import inspect
import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from agentroute.cli._app import app
from agentroute.cli._route import explain_cmd
from agentroute.config._models import RoutingSection
from agentroute.embeddings import NgramHashingEmbedder
from agentroute.eval import evaluate
from agentroute.routing import (
    DEFAULT_ROUTER,
    GraphRouter,
    Outcome,
    OutcomeFileError,
    OutcomeTable,
    QueryFeaturizer,
    default_router,
    fit_from_outcomes,
    load_outcome_table,
    make_router,
)


def write_long(
    path: Path, table: OutcomeTable, rows: range | list[int], *, tasks: bool = True
) -> Path:
    with path.open("w") as fh:
        for i in rows:
            for j, m in enumerate(table.models):
                row = {
                    "query": table.queries[i],
                    "model": m,
                    "quality": float(table.quality[i, j]),
                    "cost_usd": float(table.cost[i, j]),
                }
                if tasks:
                    row["task"] = table.tasks[i]
                fh.write(json.dumps(row) + "\n")
    return path


def test_one_default_router_kind_everywhere() -> None:
    defaults = {
        "make_router": inspect.signature(make_router).parameters["kind"].default,
        "fit_from_outcomes": inspect.signature(fit_from_outcomes).parameters["router"].default,
        "default_router": inspect.signature(default_router).parameters["kind"].default,
        "route explain": inspect.signature(explain_cmd).parameters["router"].default,
        "[routing] kind": RoutingSection().kind,
    }
    assert set(defaults.values()) == {DEFAULT_ROUTER}, defaults
    assert make_router().name == DEFAULT_ROUTER
    assert default_router().name == DEFAULT_ROUTER


def test_evaluate_on_a_held_out_file(tmp_path: Path, make_table) -> None:
    table = make_table(160)
    train = write_long(tmp_path / "train.jsonl", table, range(0, 120))
    test = write_long(tmp_path / "test.jsonl", table, range(120, 160))
    report = evaluate(
        train, test, routers=("graph",), embedder=NgramHashingEmbedder(256), peers=False
    )
    assert report.folds == 1 and report.n_queries == 40
    assert report.results["graph"].aiq > report.results["zero router"].aiq
    crossval = evaluate(train, routers=("graph",), embedder=NgramHashingEmbedder(256), folds=3)
    assert crossval.folds == 3 and crossval.n_queries == 120


def test_evaluate_refuses_a_test_file_with_models_training_lacks(
    tmp_path: Path, make_table
) -> None:
    table = make_table(80)
    train = write_long(tmp_path / "train.jsonl", table, range(0, 60))
    renamed = OutcomeTable(
        table.queries, table.tasks, ["cheap", "coder", "huge"], table.quality, table.cost
    )
    test = write_long(tmp_path / "test.jsonl", renamed, range(60, 80))
    with pytest.raises(ValueError, match="huge"):
        evaluate(train, test, routers=("graph",), embedder=NgramHashingEmbedder(256))


def test_a_file_without_tasks_is_clustered_not_named_after_itself(
    tmp_path: Path, make_table
) -> None:
    table = make_table(200)
    path = write_long(tmp_path / "pool.jsonl", table, range(200), tasks=False)
    loaded = load_outcome_table(path)
    assert set(loaded.tasks) == {""}  # not "pool"
    router = fit_from_outcomes(path, embedder=NgramHashingEmbedder(512))
    assert isinstance(router, GraphRouter)
    assert router.task_names and all(t.startswith("cluster:") for t in router.task_names)


def test_llmrouter_layout_loads(tmp_path: Path) -> None:
    rows = [
        {
            "task_name": "gsm8k",
            "query": "2+2?",
            "model_name": "a",
            "performance": 1.0,
            "cost": 1e-4,
        },
        {
            "task_name": "gsm8k",
            "query": "2+2?",
            "model_name": "b",
            "performance": 0.0,
            "cost": 1e-5,
        },
        {
            "task_name": "mmlu",
            "query": "capital?",
            "model_name": "a",
            "performance": 1,
            "cost": 2e-4,
        },
        {
            "task_name": "mmlu",
            "query": "capital?",
            "model_name": "b",
            "performance": 1,
            "cost": 2e-5,
        },
    ]
    path = tmp_path / "routing_data.json"
    path.write_text(json.dumps(rows))
    table = load_outcome_table(path)
    assert table.models == ["a", "b"] and table.tasks == ["gsm8k", "mmlu"]
    assert np.array_equal(table.quality, [[1.0, 0.0], [1.0, 1.0]])
    (tmp_path / "bad.json").write_text('{"rows": 3}')
    with pytest.raises(ValueError, match=r"bad\.json"):
        load_outcome_table(tmp_path / "bad.json")


def test_an_outcome_without_a_task_joins_its_likely_task(make_table) -> None:
    table = make_table(120)
    router = GraphRouter(featurizer=QueryFeaturizer(NgramHashingEmbedder(512))).fit(table)
    query = "write a python function that sorts 999 items"
    assert router.task_of(query) == "code"
    router.learn(Outcome(query=query, model="coder", quality=1.0, cost_usd=0.002))
    assert "" not in router.task_names
    assert router.memory.tasks[router.memory.row(query)] == "code"


def test_route_explain_json_is_json_only_and_its_fit_is_cached(
    tmp_path: Path, make_table, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = make_table(120)
    outcomes = write_long(tmp_path / "o.jsonl", table, range(120))
    cache = tmp_path / "cache"
    monkeypatch.setenv("AGENTROUTE_CACHE_DIR", str(cache))
    monkeypatch.chdir(tmp_path)  # no agentroute.toml here
    args = ["route", "explain", "add 3 and 4", "-o", str(outcomes), "--hashing", "--json"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.output
    decision = json.loads(first.stdout)  # nothing but the JSON on stdout
    assert decision["target"] in table.models
    pickles = sorted((cache / "routing").glob("router-*.pkl"))
    assert len(pickles) == 1
    stamp = pickles[0].stat().st_mtime_ns
    second = CliRunner().invoke(app, args)
    assert json.loads(second.stdout)["target"] == decision["target"]
    assert pickles[0].stat().st_mtime_ns == stamp  # loaded, not refitted
    # A changed outcome file is a different fit.
    write_long(outcomes, table, range(100))
    assert CliRunner().invoke(app, args).exit_code == 0
    assert len(list((cache / "routing").glob("router-*.pkl"))) == 2


def test_route_explain_routes_among_the_configured_experts(
    tmp_path: Path, make_table, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = make_table(120)
    outcomes = write_long(tmp_path / "o.jsonl", table, range(120))
    replay = tmp_path / "replay.jsonl"
    write_long(replay, table, range(120))
    experts = "".join(
        f'[experts.{m}]\nreplay = "{replay}"\nreplay_model = "{m}"\n\n' for m in ("cheap", "coder")
    )
    (tmp_path / "agentroute.toml").write_text(
        f'[agent]\nbuiltin_targets = false\n\n{experts}[routing]\noutcomes = ["{outcomes}"]\n'
    )
    monkeypatch.setenv("AGENTROUTE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["route", "explain", "add 3 and 4", "--json"])
    assert result.exit_code == 0, result.output
    decision = json.loads(result.stdout)
    assert {a["target"] for a in decision["alternatives"]} == {"cheap", "coder"}  # not "big"


def test_route_evaluate_measures_on_held_out_files(
    tmp_path: Path, make_table, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = make_table(160)
    train = write_long(tmp_path / "train.jsonl", table, range(0, 120))
    test = write_long(tmp_path / "test.jsonl", table, range(120, 160))
    monkeypatch.setenv("AGENTROUTE_CACHE_DIR", str(tmp_path / "cache"))
    args = ["route", "evaluate", "-o", str(train), "--test", str(test), "--routers", "graph"]
    result = CliRunner().invoke(app, [*args, "--hashing", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n_queries"] == 40 and report["folds"] == 1


def test_a_broken_outcome_file_is_named_with_its_line_and_field(tmp_path: Path) -> None:
    """What a new user gets from a broken file: the file, the line and the field, for a
    negative cost, a misspelt column (its accepted names and the row's own fields), a quality
    out of range in the wide layout, an empty file and a file that is not there (also through
    the cached fit, which reads the files' bytes first)."""
    good = '{"query": "q1", "model": "a", "quality": 1, "cost_usd": 0.1}\n'
    cases = {
        "negative.jsonl": (
            good + '{"query": "q2", "model": "a", "quality": 1, "cost_usd": -3}\n',
            "negative.jsonl:2: field 'cost_usd': must be >= 0 (dollars), got -3.0",
        ),
        "misspelt.jsonl": (
            good + '{"query": "q2", "modle": "a", "quality": 1, "cost_usd": 3}\n',
            "misspelt.jsonl:2: field 'model' is missing or empty (accepted names: 'model' or "
            "'model_name'; the row has 'query', 'modle', 'quality', 'cost_usd')",
        ),
        "quality.jsonl": (
            good + '{"query": "q2", "model": "a", "quality": 2, "cost_usd": 3}\n',
            "quality.jsonl:2: field 'quality': must be in [0, 1], got 2.0",
        ),
        "wide.csv": (
            "prompt,a,a|total_cost\nq1,1,0.1\nq2,7,0.1\n",
            "wide.csv:3: field 'a': must be in [0, 1], got 7.0",
        ),
        "wide_cost.csv": (
            "prompt,a,a|total_cost\nq1,1,-0.1\n",
            "wide_cost.csv:2: field 'a|total_cost': must be >= 0 (dollars), got -0.1",
        ),
        "empty.jsonl": ("", "empty.jsonl: empty"),
    }
    for name, (text, message) in cases.items():
        (tmp_path / name).write_text(text)
        with pytest.raises(OutcomeFileError) as err:
            load_outcome_table(tmp_path / name)
        assert message in str(err.value), (name, str(err.value))
    with pytest.raises(OutcomeFileError, match=r"nowhere\.jsonl: no such file"):
        fit_from_outcomes(tmp_path / "nowhere.jsonl", cache_dir=tmp_path / "cache")
