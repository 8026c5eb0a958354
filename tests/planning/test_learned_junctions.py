"""The semantic planner plans two steps where the learned junction model cuts a clause the
rules kept whole (real MiniLM index, plain descriptors)."""

from __future__ import annotations

import pytest

from agentroute.embeddings import default_embedder
from agentroute.planning import SemanticPlanner
from agentroute.targets._index import TargetIndex
from agentroute.text import clauses
from agentroute.types import PlanningContext, TargetDescriptor, TargetKind

TARGETS = [
    TargetDescriptor(
        name="units.convert",
        kind=TargetKind.TOOL,
        effect="read",
        description="Convert a quantity between units of length, mass, temperature and speed.",
        examples=["how many km are 5 miles", "convert 30 C to F", "55 mph in km/h"],
    ),
    TargetDescriptor(
        name="countries.lookup",
        kind=TargetKind.TOOL,
        effect="read",
        description="Facts about countries: capitals, currencies and official languages.",
        examples=["the currency of Japan", "what is the capital of Peru", "language of Brazil"],
    ),
    TargetDescriptor(
        name="calc.calculate",
        kind=TargetKind.TOOL,
        effect="read",
        description="Exact arithmetic: add, subtract, multiply, divide, powers, percentages.",
        examples=["what is 17 * 23", "multiply 8 by 2", "add 36 to 240", "12.5% of 80"],
    ),
]


@pytest.fixture(scope="module")
def planner() -> SemanticPlanner:
    index = TargetIndex(default_embedder())
    index.add(TARGETS)
    return SemanticPlanner(index, threshold=0.2)


async def test_a_confident_junction_is_a_second_step(planner: SemanticPlanner) -> None:
    request = "15 precent of 200 and the curency of japan"
    assert len(clauses(request)) == 1  # the rules alone read one part
    plan = await planner.plan(PlanningContext(request=request, targets=TARGETS))
    assert [(s.query, s.target, s.depends_on) for s in plan.steps] == [
        ("15 precent of 200", "calc.calculate", []),
        ("the curency of japan", "countries.lookup", []),
    ]


async def test_an_expression_stays_one_step(planner: SemanticPlanner) -> None:
    plan = await planner.plan(PlanningContext(request="Add 3, 4 and 5", targets=TARGETS))
    assert [(s.query, s.target) for s in plan.steps] == [("Add 3, 4 and 5", "calc.calculate")]
