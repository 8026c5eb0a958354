from __future__ import annotations

import numpy as np
import pytest

from agentroute.embeddings import NgramHashingEmbedder
from agentroute.routing import (
    CascadeRouter,
    ExpertDescriptor,
    Outcome,
    OutcomeStore,
    QueryFeaturizer,
    RoutingConfig,
    agreement,
    default_router,
    make_router,
    weighted_vote,
)
from agentroute.types import TargetDescriptor, TargetKind

CANDIDATES = [TargetDescriptor(name=m, kind=TargetKind.EXPERT) for m in ["cheap", "coder", "big"]]


@pytest.fixture
def fitted(make_table):
    def build(kind: str, dpp: float = 0.0002):
        return _fitted(make_table(), kind, dpp)

    return build


def _fitted(table, kind: str, dpp: float):
    r = make_router(
        kind,
        featurizer=QueryFeaturizer(NgramHashingEmbedder(256)),
        config=RoutingConfig(dollars_per_point=dpp),
    )
    return r.fit(table)


@pytest.mark.parametrize("kind", ["prior", "knn", "graph", "blend"])
def test_decisions_are_well_formed(fitted, kind: str) -> None:
    d = fitted(kind).choose("add 12 and 30", CANDIDATES, step_id="s1")
    assert d.step_id == "s1"
    assert d.target in {"cheap", "coder", "big"}
    assert d.kind is TargetKind.EXPERT
    assert {a.target for a in d.alternatives} == {"cheap", "coder", "big"}
    scores = [a.score for a in d.alternatives]
    assert scores == sorted(scores, reverse=True)
    assert d.alternatives[0].target == d.target
    for a in d.alternatives:
        assert 0.0 <= (a.predicted_quality or 0) <= 1.0
        assert (a.predicted_cost or 0) > 0
    assert d.reason and d.target in d.reason


@pytest.mark.parametrize("kind", ["knn", "graph", "blend"])
def test_learned_routers_send_each_task_to_its_cheap_specialist(fitted, kind: str) -> None:
    r = fitted(kind)
    assert r.choose("what is 77 times 5", CANDIDATES).target == "cheap"
    assert r.choose("write a python function that sorts 9 items", CANDIDATES).target == "coder"


def test_knob_extremes_pick_cheapest_and_best(fitted) -> None:
    r = fitted("graph")
    r.config = RoutingConfig(dollars_per_point=0.0)
    assert r.choose("write a python class with 3 methods", CANDIDATES).target == "cheap"
    r.config = RoutingConfig(dollars_per_point=float("inf"))
    d = r.choose("write a python class with 3 methods", CANDIDATES)
    assert d.target in {"coder", "big"}
    assert d.predicted_quality == max(a.predicted_quality or 0 for a in d.alternatives)


@pytest.mark.parametrize("kind", ["prior", "graph"])
def test_budget_that_nothing_fits_is_an_explicit_no(fitted, kind: str) -> None:
    r = fitted(kind)
    d = r.choose("add 1 and 2", CANDIDATES, max_cost_usd=1e-7)
    assert d.target is None
    assert "budget" in d.reason and "cheap" in d.reason
    assert len(d.alternatives) == 3  # still shows what was considered
    d = r.choose("add 1 and 2", CANDIDATES, max_cost_usd=0.01 - 0.00995)  # a session nearly spent
    assert d.target is None and "budget" in d.reason


def test_budget_excludes_only_what_does_not_fit(fitted) -> None:
    r = fitted("graph", dpp=float("inf"))
    d = r.choose("write a python function that sorts 4 items", CANDIDATES, max_cost_usd=0.005)
    assert d.target == "coder"
    assert "over budget" in d.reason


def test_prior_router_cold_start_uses_descriptors() -> None:
    r = make_router(
        "prior",
        featurizer=QueryFeaturizer(NgramHashingEmbedder(64)),
        config=RoutingConfig(dollars_per_point=1.0),
    )
    cands = [
        ExpertDescriptor(
            name="weak", kind=TargetKind.EXPERT, domain_scores={"x": 0.3}, price_out_per_m=1.0
        ),
        ExpertDescriptor(
            name="strong", kind=TargetKind.EXPERT, domain_scores={"x": 0.9}, price_out_per_m=1.0
        ),
    ]
    d = r.choose("anything", cands)
    assert d.target == "strong"
    assert d.predicted_quality == pytest.approx(0.9)
    # Outcomes move the estimate: 'strong' fails repeatedly, 'weak' succeeds.
    for i in range(30):
        r.learn(Outcome(query=f"q{i}", model="strong", quality=0.0, cost_usd=0.001))
        r.learn(Outcome(query=f"q{i}", model="weak", quality=1.0, cost_usd=0.001))
    assert r.choose("anything", cands).target == "weak"


def test_model_without_outcomes_is_priced_from_its_descriptor(fitted) -> None:
    r = fitted("graph", dpp=0.0)
    priced = ExpertDescriptor(
        name="priced",
        kind=TargetKind.EXPERT,
        price_in_per_m=40.0,
        price_out_per_m=80.0,
        typical_tokens_out=100,
    )
    d = r.choose("add 3 and 4", [*CANDIDATES, priced])
    assert d.target == "cheap"
    alt = next(a for a in d.alternatives if a.target == "priced")
    expected = len("add 3 and 4") / 4 * 40.0 / 1e6 + 100 * 80.0 / 1e6
    assert alt.predicted_cost == pytest.approx(expected)


def test_new_model_with_a_handful_of_outcomes_is_used_where_it_is_better(
    routerbench, routerbench_vectors
) -> None:
    fz, vectors = routerbench_vectors
    table = routerbench
    r = make_router("graph", featurizer=fz, config=RoutingConfig(dollars_per_point=0.01))
    r._fitted_featurizer = True
    r.fit(table, vectors)
    names = list(table.models)
    cands = [TargetDescriptor(name=m, kind=TargetKind.EXPERT) for m in names]
    arc = [i for i, t in enumerate(table.tasks) if t == "arc-challenge"]
    mbpp = [i for i, t in enumerate(table.tasks) if t == "mbpp"]
    arc_query, mbpp_query = table.queries[arc[-1]], table.queries[mbpp[-1]]
    before = r.choose(arc_query, cands)
    assert before.target != "new-expert"
    new = ExpertDescriptor(
        name="new-expert",
        kind=TargetKind.EXPERT,
        description="strong at science questions",
        domain_scores={"arc-challenge": 0.99, "mbpp": 0.2, "winogrande": 0.5},
        price_in_per_m=1.0,
        price_out_per_m=2.0,
    )
    r.add_model(new)
    for i in arc[:5]:  # a handful of outcomes, all on arc
        r.learn(
            Outcome(
                query=table.queries[i],
                model="new-expert",
                quality=1.0,
                cost_usd=0.0008,
                task="arc-challenge",
            ),
            vectors[i],
        )
    with_new = [*cands, new]
    assert r.choose(arc_query, with_new).target == "new-expert"
    assert r.choose(mbpp_query, with_new).target != "new-expert"


def test_cascade_plans_cheap_first_and_escalates_on_disagreement(fitted) -> None:
    base = fitted("graph", dpp=float("inf"))
    cascade = CascadeRouter(base, verifier=agreement, threshold=1.0, width=2, cost_fraction=0.2)
    d = cascade.choose("write a python function that sorts 5 items", CANDIDATES)
    assert d.target in {"cheap", "coder"}
    assert "escalate to big" in d.reason

    answers = {"cheap": "A", "coder": "B", "big": "C"}
    calls: list[str] = []

    async def call(model: str, query: str) -> tuple[str, float]:
        calls.append(model)
        return answers[model], {"cheap": 0.001, "coder": 0.002, "big": 0.02}[model]

    import asyncio

    res = asyncio.run(cascade.run("write a python function that sorts 5 items", CANDIDATES, call))
    assert res.escalated and res.model == "big" and calls[-1] == "big"
    assert res.cost_usd == pytest.approx(0.023)
    answers["coder"] = "a)"  # normalises to the same letter: the cheap answers agree
    calls.clear()
    res = asyncio.run(cascade.run("write a python function that sorts 5 items", CANDIDATES, call))
    assert not res.escalated and "big" not in calls and res.cost_usd == pytest.approx(0.003)


def test_cascade_above_threshold_one_calls_no_cheap_stage(fitted) -> None:
    import asyncio

    cascade = CascadeRouter(fitted("graph", dpp=float("inf")), threshold=1.01, cost_fraction=0.2)
    calls: list[str] = []

    async def call(model: str, query: str) -> tuple[str, float]:
        calls.append(model)
        return "A", {"cheap": 0.001, "coder": 0.002, "big": 0.02}[model]

    res = asyncio.run(cascade.run("write a python function that sorts 5 items", CANDIDATES, call))
    assert calls == ["big"] and not res.escalated and res.cost_usd == pytest.approx(0.02)
    d = cascade.choose("write a python function that sorts 5 items", CANDIDATES)
    assert d.target == "big" and "calling the target directly" in d.reason


def test_weighted_vote_trusts_strong_models_that_agree_not_weak_ones() -> None:
    keep, strong = weighted_vote("q", ["A", "a)"], [0.9, 0.9])
    assert keep == 0 and strong > 0.95
    _, weak = weighted_vote("q", ["A", "A"], [0.55, 0.55])
    assert weak < 0.7
    keep, split = weighted_vote("q", ["B", "A"], [0.6, 0.9])
    assert keep == 1 and 0.5 < split < strong  # the stronger model's answer, with doubt
    _, coin = weighted_vote("q", ["C"], [0.3])  # worse than a coin: no evidence at all
    assert coin == 0.5


def test_cascade_with_weighted_vote_escalates_when_cheap_models_are_weak(fitted) -> None:
    import asyncio

    cascade = CascadeRouter(fitted("graph", dpp=float("inf")), width=2, cost_fraction=0.2)
    calls: list[str] = []

    async def call(model: str, query: str) -> tuple[str, float]:
        calls.append(model)
        return "A", {"cheap": 0.001, "coder": 0.002, "big": 0.02}[model]

    # Both cheap models answer "A", but neither is any good at this kind of code question.
    res = asyncio.run(cascade.run("write a python function that sorts 5 items", CANDIDATES, call))
    assert res.escalated and res.model == "big"
    assert sorted(calls[:-1]) == ["cheap", "coder"] and calls[-1] == "big"
    assert res.confidence < cascade.threshold


def test_outcome_store_roundtrip_and_warm_start(tmp_path, make_table) -> None:
    path = tmp_path / "outcomes.sqlite"
    store = OutcomeStore(path)
    table = make_table(40)
    for i, q in enumerate(table.queries):
        for j, m in enumerate(table.models):
            store.append(
                Outcome(
                    query=q,
                    model=m,
                    quality=float(table.quality[i, j]),
                    cost_usd=float(table.cost[i, j]),
                    task=table.tasks[i],
                )
            )
    store.close()
    reopened = OutcomeStore(path)
    assert len(reopened) == 120
    assert reopened.load(model="big")[0].quality == 1.0
    r = default_router(reopened, embedder=NgramHashingEmbedder(256))
    assert r.choose("compute 5 minus 2", CANDIDATES).target == "cheap"
    n = reopened.export_jsonl(tmp_path / "out.jsonl")
    assert n == 120


def test_default_router_without_outcomes_never_embeds() -> None:
    class Exploding(NgramHashingEmbedder):
        def embed(self, texts):  # type: ignore[override]
            raise AssertionError("embedded with no outcomes")

    r = default_router(embedder=Exploding())
    d = r.choose(
        "hi",
        [
            ExpertDescriptor(name="a", kind=TargetKind.EXPERT, domain_scores={"x": 0.8}),
            ExpertDescriptor(name="b", kind=TargetKind.EXPERT, domain_scores={"x": 0.4}),
        ],
    )
    assert d.target == "a"
    assert np.isfinite(d.score)


def test_outcomes_without_task_labels_get_pseudo_tasks_from_clusters(make_table) -> None:
    import dataclasses

    from agentroute.embeddings import default_embedder

    labelled = make_table(160)
    table = dataclasses.replace(labelled, tasks=[""] * len(labelled))
    r = make_router(
        "graph",
        featurizer=QueryFeaturizer(default_embedder()),
        config=RoutingConfig(dollars_per_point=0.0002),
    ).fit(table)
    assert len(r.task_names) >= 2 and all(t.startswith("cluster:") for t in r.task_names)
    # Each cluster holds one kind of query: the clusters recover the hidden labels.
    for t in set(r.memory.tasks):
        truth = {labelled.tasks[i] for i, x in enumerate(r.memory.tasks) if x == t}
        assert len(truth) == 1, (t, truth)
    assert r.choose("what is 77 times 5", CANDIDATES).target == "cheap"
    assert r.choose("write a python class with 7 methods", CANDIDATES).target == "coder"
    # An unlabelled outcome learned online joins the nearest cluster.
    r.learn(Outcome(query="compute 5 minus 2", model="cheap", quality=1.0, cost_usd=0.001))
    assert r.memory.tasks[-1].startswith("cluster:")
