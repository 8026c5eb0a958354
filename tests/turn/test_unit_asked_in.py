"""A bare number a tool computed is in the unit its question asked it in: "I drive 55 mph for
3 hours; how far is that in miles, and how many km is it?" converts 165 miles, not 165 of
nothing (the converter refused) or 165 inches ("then in kilometres" read "195 in" as inches)."""

from __future__ import annotations

from agentroute.turn._steps import fill_references
from agentroute.types import Observation, Step, TargetDescriptor, TargetKind

CONVERTER = TargetDescriptor(
    name="units.convert",
    kind=TargetKind.TOOL,
    description="Convert a quantity between units",
    input_schema={"type": "object", "properties": {"query": {"type": "string"}}},
)


def observed(query: str, result: str) -> dict[str, Observation]:
    return {
        "s1": Observation(
            step_id="s1",
            target="calc.calculate",
            kind=TargetKind.TOOL,
            query=query,
            ok=True,
            result=result,
        )
    }


def test_a_computed_number_carries_the_unit_it_was_asked_in() -> None:
    seen = observed("I drive 55 mph for 3 hours, how far is that in miles", "55 * 3 = 165")
    steps = {"s1": Step(id="s1", query="how far is that in miles")}
    assert fill_references("how many km is {{s1}}?", seen, CONVERTER, steps) == (
        "how many km is 165 miles?"
    )


def test_a_number_asked_in_no_unit_stays_bare() -> None:
    seen = observed("what is 55 times 3", "55 * 3 = 165")
    steps = {"s1": Step(id="s1", query="what is 55 times 3")}
    assert fill_references("how many km is {{s1}}?", seen, CONVERTER, steps) == (
        "how many km is 165?"
    )
