from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from agentroute.embeddings import HashingEmbedder
from agentroute.memory import (
    Case,
    CaseOutcome,
    CaseStep,
    CaseStore,
    ChromaCaseStore,
    InMemoryCaseStore,
    Judge,
    Provenance,
    content_hash,
)
from agentroute.types import Plan, RouteDecision, Step, TargetKind

_ids = itertools.count()


@pytest.fixture
def embedder() -> HashingEmbedder:
    return HashingEmbedder(dim=128)


@pytest.fixture(params=["memory", "chroma", "server", "pgvector"])
def store(
    request: pytest.FixtureRequest, tmp_path: Path, embedder: HashingEmbedder
) -> Iterator[CaseStore]:
    if request.param == "memory":
        s: CaseStore = InMemoryCaseStore(embedder.id, embedder.dim)
    elif request.param == "server":
        from agentroute.memory import ServerCaseStore
        from tests.chroma_server import server_for_test

        s = ServerCaseStore(server_for_test(request.getfixturevalue("chroma_server_url")), embedder)
    elif request.param == "chroma":
        s = ChromaCaseStore(tmp_path / "bank", embedder)
    else:
        from agentroute._postgres import PostgresServer
        from agentroute.memory._pgvector import PgVectorCaseStore

        s = PgVectorCaseStore(PostgresServer(url=request.getfixturevalue("pgvector_db")), embedder)
    yield s
    s.close()


def make_case(
    task: str = "weather in Paris tomorrow",
    *,
    namespace: str = "default",
    target: str = "weather.forecast",
    success: bool = True,
    case_id: str | None = None,
    turn_id: str | None = None,
) -> Case:
    n = next(_ids)
    case = Case(
        id=case_id or f"case-{n}",
        namespace=namespace,
        turn_id=turn_id or f"turn-{n}",
        task=task,
        plan=Plan(
            steps=[Step(id="s1", query=task, target=target, args={"q": task})], planner="semantic"
        ),
        routes=[
            RouteDecision(
                step_id="s1", target=target, kind=TargetKind.TOOL, score=0.9, reason="best"
            )
        ],
        results=[CaseStep(step_id="s1", target=target, ok=success, summary="sunny, 21°C")],
        answer="It will be sunny — 21°C ✓",
        outcome=CaseOutcome(
            success=success, reward=1.0 if success else 0.0, judged_by=Judge.TOOL_OUTCOME
        ),
        cost_usd=0.0012,
        latency_s=0.25,
        provenance=Provenance(session="sess-1", agent="a", model="m", embedder_id="hashing"),
    )
    case.provenance.content_hash = content_hash(case)
    return case


@pytest.fixture
def mk():  # type: ignore[no-untyped-def]
    """The ``make_case`` factory (importlib mode: tests cannot import conftest)."""
    return make_case
