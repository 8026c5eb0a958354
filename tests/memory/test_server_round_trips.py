"""A turn's case written to a Chroma server reads what it needs in bounded round trips.

Under load (``benchmarks/bench_load.py --backend postgres``) every HTTP request to the server
costs a worker and the server CPU: a turn's write read each recalled case, and each near
duplicate of a flood check, in a request of its own (up to 9 a turn). Counted here at
chromadb's own ``Collection.get`` on a real ``chroma run`` server, through the bank.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from chromadb.api.models.Collection import Collection

from agentroute.embeddings import HashingEmbedder
from agentroute.memory import CaseBank, CaseStep, RecallConfig, ServerCaseStore, TurnSummary
from agentroute.types import Plan, RouteDecision, Step, TargetKind
from tests.chroma_server import server_for_test

TARGETS = {"weather.forecast": "Weather forecast for a city: temperature, rain, wind"}


def summary(turn_id: str, request: str, recalled: list[str], session: str) -> TurnSummary:
    plan = Plan(
        steps=[Step(id="s1", query=request, target="weather.forecast", args={"city": "Oslo"})],
        planner="semantic",
    )
    return TurnSummary(
        turn_id=turn_id,
        session=session,
        request=request,
        plan=plan,
        routes=[
            RouteDecision(step_id="s1", target="weather.forecast", kind=TargetKind.TOOL, score=0.9)
        ],
        results=[CaseStep(step_id="s1", target="weather.forecast", ok=True, summary="sunny")],
        answer="sunny",
        recalled=recalled,
    )


@pytest.fixture
def gets(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many ids each ``Collection.get`` asked the server for, one entry per request."""
    asked: list[int] = []
    real = Collection.get

    def counted(self: Collection, *args: Any, **kwargs: Any) -> Any:
        asked.append(len(kwargs.get("ids") or []))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Collection, "get", counted)
    yield asked


def test_a_turn_recalling_four_cases_reads_them_in_one_request(
    chroma_server_url: str, gets: list[int]
) -> None:
    emb = HashingEmbedder(dim=128)
    config = RecallConfig(flood_limit=3, flood_similarity=0.97)
    store = ServerCaseStore(server_for_test(chroma_server_url), emb)
    bank = CaseBank(store, emb, targets=lambda: TARGETS, config=config)
    request = "weather in Oslo tomorrow"
    old = [
        bank.remember(summary(f"t{i}", f"{request} t{i}", [], f"user{i}"), namespace="n")
        for i in range(4)
    ]
    assert all(old)
    recalled = [h.case_id for h in bank.recall(request, namespace="n", k=4)]
    assert sorted(recalled) == sorted(old)  # type: ignore[type-var]
    gets.clear()
    new = bank.remember(summary("t9", request, recalled, "user9"), namespace="n")
    # one read of the four recalled cases' counts, one of their stored vectors for the write,
    # one of the four near duplicates' bodies (a possible flood): not one request each
    assert len(gets) <= 3, gets
    for cid in old:
        case = store.get(cid, namespace="n")
        assert case is not None and case.recall.times_recalled == 1
    assert new is not None and store.get(new, namespace="n") is not None
    store.close()


@pytest.fixture
def queries(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """The ``n_results`` of each ``Collection.query`` sent to the server."""
    asked: list[int] = []
    real = Collection.query

    def counted(self: Collection, *args: Any, **kwargs: Any) -> Any:
        asked.append(int(kwargs.get("n_results", 0)))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Collection, "query", counted)
    yield asked


def test_a_turns_flood_check_uses_what_its_recall_found(
    chroma_server_url: str, queries: list[int]
) -> None:
    """The write's flood check needs the request's nearest cases, which the turn's recall of
    the same request has just asked for: one query a turn, not two, and the same verdicts (a
    session's fourth near-identical case in the window is quarantined)."""
    emb = HashingEmbedder(dim=128)
    config = RecallConfig(flood_limit=3, flood_similarity=0.97)
    store = ServerCaseStore(server_for_test(chroma_server_url), emb)
    bank = CaseBank(store, emb, targets=lambda: TARGETS, config=config)
    request = "weather in Bergen tomorrow"
    statuses = []
    for i in range(5):
        queries.clear()
        asked = request + "?" * i  # near-identical, not the same text (that refreshes a case)
        bank.recall(asked, namespace="f", k=4)
        cid = bank.remember(summary(f"f{i}", asked, [], "same-user"), namespace="f")
        assert cid is not None
        assert len(queries) <= 1, queries  # the first turn's recall finds no collection yet
        case = store.get(cid, namespace="f")
        assert case is not None
        statuses.append(case.status.value)
    assert statuses == ["active"] * 3 + ["quarantined"] * 2
    queries.clear()
    bank.remember(summary("f9", request, [], "same-user"), namespace="f")  # no recall before
    assert queries == [config.flood_limit + 1]
    store.close()
