"""Values with units flowing through a chain of parts written the way people chat, through the
real Agent graph with the real calc and units MCP servers: the unit of a converted quantity
survives the arithmetic on it and reaches the conversion after it."""

from __future__ import annotations

from typing import Any

from agentroute import Agent


def run_with_plan(agent: Agent, request: str) -> tuple[Any, Any]:
    seen: dict[str, Any] = {}

    def on_update(node: str, update: dict[str, Any]) -> None:
        if node == "plan" and "plan" not in seen:
            seen["plan"] = update.get("plan")

    result = agent.run(request, on_update=on_update)
    return seen["plan"], result


def test_a_unit_survives_arithmetic_and_reaches_the_next_conversion(
    default_agent: Agent,
) -> None:
    plan, result = run_with_plan(
        default_agent,
        "hey, could you convert 60 kg to pounds (for my luggage), add 10 to that, "
        "and while you're at it convert the total back to kg?",
    )
    assert [s.target for s in plan.steps] == ["units.convert", "calc.calculate", "units.convert"]
    first, second, third = plan.steps
    assert second.depends_on == [first.id] and third.depends_on == [second.id]
    steps = {s.id: s for s in result.steps}
    assert all(s.ok for s in result.steps), [s.error for s in result.steps]
    assert steps[second.id].query == "add 10 to 132.2773573"  # the bare number for arithmetic
    assert steps[third.id].query == "convert 142.2773573 lb back to kg?"  # its unit carried
    assert "132.2773573 lb" in result.answer
    assert "64.53592" in result.answer
    assert "GENERAL" not in result.answer and "hey" not in result.answer.lower()


def test_a_list_of_quantities_is_converted_one_by_one_then_added(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "Convert 3 and 5 miles to km, then add them up.")
    assert [s.target for s in plan.steps] == ["units.convert", "units.convert", "calc.calculate"]
    assert plan.steps[2].depends_on == [plan.steps[0].id, plan.steps[1].id]
    assert "4.828032 km" in result.answer and "8.04672 km" in result.answer
    assert "12.874752" in result.answer
