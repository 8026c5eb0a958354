"""Through the full ``Agent``: a second, similar request reuses the remembered plan."""

from __future__ import annotations

from agentroute import Agent, Plan, PlanningContext, Step
from agentroute.embeddings import HashingEmbedder
from agentroute.memory import CaseBank, InMemoryCaseStore, RecallConfig
from agentroute.testing import FunctionPlanner, FunctionTarget


def forecast(ctx: PlanningContext) -> Plan:
    city = ctx.request.split()[2]
    return Plan(steps=[Step(id="s1", query=f"forecast for {city} tomorrow", target="weather")])


def test_second_similar_request_reuses_the_plan_without_a_planner_call() -> None:
    emb = HashingEmbedder(dim=256)
    bank = CaseBank(
        InMemoryCaseStore(emb.id, emb.dim),
        emb,
        targets=lambda: {"weather": "Weather forecast for a city"},
        config=RecallConfig(min_similarity=0.2, reuse_similarity=0.45),
    )
    weather = FunctionTarget(
        "weather", lambda q, args: f"sunny ({q})", description="Weather forecast for a city"
    )
    planner = FunctionPlanner(forecast)
    with Agent(targets=[weather], planner=planner, memory=bank, checkpoint=False) as agent:
        first = agent.run("weather in Paris tomorrow")
        second = agent.run("weather in Berlin tomorrow")
    assert len(planner.contexts) == 1
    assert first.case_id is not None
    assert second.reused_case == first.case_id
    assert weather.calls[-1][0] == "forecast for Berlin tomorrow"
    assert "Berlin" in second.answer
    assert [h.case_id for h in second.memory] == [first.case_id]
    assert bank.feedback(second.turn_id, 0.0) == second.case_id
    assert bank.get(first.case_id).recall.failures == 1  # type: ignore[union-attr]


def test_the_turn_hands_the_bank_its_live_targets() -> None:
    """A bank given no targets at construction (as ``Agent.from_config`` opens it) still
    reuses: the turn passes the targets it holds to ``reusable_plan`` and ``remember``."""
    emb = HashingEmbedder(dim=256)
    bank = CaseBank(
        InMemoryCaseStore(emb.id, emb.dim),
        emb,
        config=RecallConfig(min_similarity=0.2, reuse_similarity=0.45),
    )
    weather = FunctionTarget(
        "weather", lambda q, args: f"sunny ({q})", description="Weather forecast for a city"
    )
    planner = FunctionPlanner(forecast)
    with Agent(targets=[weather], planner=planner, memory=bank, checkpoint=False) as agent:
        first = agent.run("weather in Paris tomorrow")
        second = agent.run("weather in Berlin tomorrow")
    assert len(planner.contexts) == 1
    assert second.reused_case == first.case_id
    hits = bank.recall("weather in Rome tomorrow", namespace="agentroute")
    assert bank.reusable_plan("weather in Rome tomorrow", hits, namespace="agentroute") is None
