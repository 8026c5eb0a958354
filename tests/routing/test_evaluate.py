from __future__ import annotations

import json

import numpy as np
import pytest

from agentroute.embeddings import NgramHashingEmbedder
from agentroute.eval import aiq, cost_to_match, evaluate, upper_hull
from agentroute.routing import (
    RoutingConfig,
    fit_from_outcomes,
    load_outcome_table,
)
from agentroute.routing._table import OutcomeFileError


def test_hull_is_upper_convex_and_non_decreasing() -> None:
    pts = np.array([[1.0, 0.5], [2.0, 0.55], [3.0, 0.9], [4.0, 0.8], [0.5, 0.1]])
    hull = upper_hull(pts)
    assert hull.tolist() == [[0.5, 0.1], [1.0, 0.5], [3.0, 0.9]]
    # a single model costing the minimum: flat line at its quality over the range
    assert aiq(np.array([[1.0, 0.7]]), 1.0, 5.0) == pytest.approx(0.7, abs=1e-3)
    # a model at the top of the range contributes nothing below its cost
    assert aiq(np.array([[5.0, 0.9]]), 1.0, 5.0) == pytest.approx(0.0, abs=1e-3)
    assert cost_to_match(pts, 0.7) == pytest.approx(2.0)
    assert cost_to_match(pts, 0.95) is None


def test_cross_validated_router_beats_zero_router_on_routerbench(routerbench) -> None:
    report = evaluate(
        routerbench,
        routers=("graph",),
        folds=5,
        embedder=NgramHashingEmbedder(512),
        peers=False,
    )
    graph, zero = report.results["graph"], report.results["zero router"]
    oracle = report.results["oracle"]
    assert zero.aiq < graph.aiq < oracle.aiq
    assert graph.oracle_gap_closed is not None and graph.oracle_gap_closed > 0
    assert report.best_single == "gpt-4-1106-preview"
    assert "graph" in report.table()


def test_long_jsonl_outcomes_for_another_pool(tmp_path) -> None:
    """Any pool of models and tasks: three made-up models on two made-up tasks."""
    rng = np.random.default_rng(1)
    path = tmp_path / "outcomes.jsonl"
    with path.open("w") as fh:
        for i in range(150):
            task = "poetry" if i % 2 else "sql"
            query = (
                f"write a haiku about {i} rivers"
                if task == "poetry"
                else f"select rows from table t{i} where id > 5"
            )
            for model, p_ok, cost in [
                ("tiny", 0.85 if task == "sql" else 0.2, 1e-5),
                ("bard", 0.9 if task == "poetry" else 0.3, 2e-5),
                ("huge", 0.95, 5e-4),
            ]:
                fh.write(
                    json.dumps(
                        {
                            "query": query,
                            "model": model,
                            "task": task,
                            "quality": float(rng.random() < p_ok),
                            "cost_usd": cost,
                        }
                    )
                    + "\n"
                )
    table = load_outcome_table(path)
    assert table.models == ["tiny", "bard", "huge"] and len(table) == 150
    report = evaluate(path, routers=("graph", "knn"), folds=3, embedder=NgramHashingEmbedder(256))
    assert report.results["graph"].aiq > report.results["zero router"].aiq
    assert report.results["graph"].aiq > report.results["random"].aiq
    # pay at most $0.000001 a point: 'huge' (+$0.00049 for ~10 points) is not worth it
    router = fit_from_outcomes(
        path,
        router="graph",
        embedder=NgramHashingEmbedder(256),
        config=RoutingConfig(dollars_per_point=1e-6),
    )
    from agentroute.types import TargetDescriptor, TargetKind

    cands = [TargetDescriptor(name=m, kind=TargetKind.EXPERT) for m in table.models]
    assert router.choose("write a haiku about 3 rivers", cands).target == "bard"
    assert router.choose("select rows from table t9 where id > 5", cands).target == "tiny"


def test_bad_outcome_file_names_file_line_and_field(tmp_path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"query": "q", "model": "m", "quality": 0.5, "cost_usd": 0.1}\n'
        '{"query": "q2", "model": "m", "quality": 3, "cost_usd": 0.1}\n'
    )
    with pytest.raises(OutcomeFileError, match=r"bad.jsonl:2: field 'quality'"):
        load_outcome_table(bad)
    csv = tmp_path / "bad.csv"
    csv.write_text("prompt,a,a|total_cost\nhello,x,0.1\n")
    with pytest.raises(OutcomeFileError, match=r"bad.csv:2: field 'a'"):
        load_outcome_table(csv)


def test_graph_router_tunes_trust_in_neighbours_from_its_data(make_table) -> None:
    from agentroute.routing import GraphRouter, OutcomeTable, QueryFeaturizer

    # Specialists by query type but no task labels: only neighbours can tell math from code.
    t = make_table(300)
    unlabeled = OutcomeTable(t.queries, ["all"] * len(t), t.models, t.quality, t.cost)
    r = GraphRouter(featurizer=QueryFeaturizer(NgramHashingEmbedder(256))).fit(unlabeled)
    assert r.task_weight < 1e6
    # Pure noise: neighbours carry nothing, the router falls back to the task average.
    rng = np.random.default_rng(3)
    noise = OutcomeTable(
        t.queries,
        ["all"] * len(t),
        t.models,
        (rng.random(t.quality.shape) < 0.5).astype(float),
        t.cost,
    )
    r = GraphRouter(featurizer=QueryFeaturizer(NgramHashingEmbedder(256))).fit(noise)
    assert r.task_weight == 1e6


def test_the_runtime_never_imports_the_evaluation_package() -> None:
    """Research code stays out of the runtime: only a CLI command loads it, inside the command."""
    import ast
    from pathlib import Path

    import agentroute

    root = Path(agentroute.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        if path.parent.name == "eval" and path.parent.parent == root:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        lazy = {
            id(node)
            for fn in ast.walk(tree)
            if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(fn)
        }
        for node in ast.walk(tree):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            if not any(n == "agentroute.eval" or n.startswith("agentroute.eval.") for n in names):
                continue
            if not ("cli" in path.relative_to(root).as_posix() and id(node) in lazy):
                offenders.append(f"{path.relative_to(root)}:{node.lineno}")
    assert offenders == []
