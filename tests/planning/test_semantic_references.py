"""The semantic planner turns references between clauses into dependencies, and keeps them
when a failed input is re-planned (real MiniLM index, plain descriptors)."""

from __future__ import annotations

import pytest

from agentroute.embeddings import default_embedder
from agentroute.planning import SemanticPlanner
from agentroute.targets._index import TargetIndex
from agentroute.types import Observation, PlanningContext, TargetDescriptor, TargetKind

TARGETS = [
    TargetDescriptor(
        name="units.convert",
        kind=TargetKind.TOOL,
        effect="read",
        description="Convert a quantity between units of length, mass, temperature and time.",
        examples=["how many km are 5 miles", "convert 30 C to F", "what is 3 feet in cm"],
    ),
    TargetDescriptor(
        name="spare.convert",
        kind=TargetKind.TOOL,
        effect="read",
        description="Unit conversion: lengths, weights and temperatures from one unit to another.",
        examples=["convert 10 miles to kilometres", "how many pounds is 2 kg"],
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
    return SemanticPlanner(index)


async def test_a_reference_becomes_a_dependency(planner: SemanticPlanner) -> None:
    plan = await planner.plan(
        PlanningContext(
            request="How many km are 5 miles? Then multiply that by 2.", targets=TARGETS
        )
    )
    assert [(s.id, s.target, s.query, s.depends_on) for s in plan.steps] == [
        ("s1", "units.convert", "How many km are 5 miles?", []),
        ("s2", "calc.calculate", "multiply {{s1}} by 2", ["s1"]),
    ]


async def test_showing_a_result_adds_no_step(planner: SemanticPlanner) -> None:
    plan = await planner.plan(
        PlanningContext(
            request="Convert 30 C to F, show it to me, and then subtract 32 from it",
            targets=TARGETS,
        )
    )
    assert [(s.target, s.depends_on) for s in plan.steps] == [
        ("units.convert", []),
        ("calc.calculate", ["s1"]),
    ]


async def test_a_replanned_input_keeps_its_dependent_waiting_for_it(
    planner: SemanticPlanner,
) -> None:
    failed = Observation(
        step_id="s1",
        target="units.convert",
        kind=TargetKind.TOOL,
        query="How many km are 5 miles?",
        ok=False,
        error="server down",
    )
    skipped = Observation(
        step_id="s2",
        target="calc.calculate",
        kind=TargetKind.TOOL,
        query="multiply {{s1}} by 2",
        ok=False,
        error="skipped: its input s1 failed",
    )
    plan = await planner.plan(
        PlanningContext(
            request="How many km are 5 miles? Then multiply that by 2.",
            targets=TARGETS,
            round=2,
            previous=[skipped, failed],
            next_step_number=3,
        )
    )
    assert [(s.id, s.target, s.query, s.depends_on) for s in plan.steps] == [
        ("s3", "spare.convert", "How many km are 5 miles?", []),
        # calc was never tried (it waited): it stays the choice, now waiting for s3
        ("s4", "calc.calculate", "multiply {{s3}} by 2", ["s3"]),
    ]


async def test_a_dependent_of_an_input_that_failed_for_good_is_not_replanned(
    planner: SemanticPlanner,
) -> None:
    failed = Observation(
        step_id="s1", target="calc.calculate", kind=TargetKind.TOOL,
        query="What is 2 to the 8th?", ok=False, error="could not read",
    )  # fmt: skip
    skipped = Observation(
        step_id="s2", target="units.convert", kind=TargetKind.TOOL,
        query="what is {{s1}} in km", ok=False, error="skipped: its input s1 failed",
    )  # fmt: skip
    plan = await planner.plan(
        PlanningContext(
            request="x",
            targets=[TARGETS[0], TARGETS[2]],
            round=2,
            previous=[failed, skipped],
            next_step_number=3,
        )
    )
    assert plan.steps == []
