"""Lists of requests, operator-led parts, ordinals and named swaps in a thread, through the
real Agent graph: the embedded default with its real calc and units MCP servers, the facts
base in chromadb and the geography graph."""

from __future__ import annotations

from typing import Any

from agentroute import Agent


def run_with_plan(agent: Agent, request: str, thread: str | None = None) -> tuple[Any, Any]:
    seen: dict[str, Any] = {}

    def on_update(node: str, update: dict[str, Any]) -> None:
        if node == "plan" and "plan" not in seen:
            seen["plan"] = update.get("plan")

    result = agent.run(request, thread=thread, on_update=on_update)
    return seen["plan"], result


def test_an_operator_led_part_works_on_the_result_before(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "12*12, then /3")
    first, second = plan.steps
    assert (first.target, second.target) == ("calc.calculate", "calc.calculate")
    assert second.depends_on == [first.id]
    steps = {s.id: s for s in result.steps}
    assert steps[second.id].ok, steps[second.id].error
    assert steps[second.id].query == "144 /3"  # the product, not the reply text
    assert "48" in result.answer


def test_the_first_added_to_the_second(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "What's 48 / 6 and 9 * 7? Add the first to the second."
    )
    third = plan.steps[2]
    assert third.target == "calc.calculate"
    assert third.depends_on == [plan.steps[0].id, plan.steps[1].id]
    assert "71" in result.answer


def test_a_misspelt_list_of_two_requests_is_two_parts(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "wats 18 * 4 and the captial of Germany")
    assert plan.steps[0].target == "calc.calculate"
    assert len(plan.steps) == 2 and plan.steps[1].target in ("geography", "facts")
    assert "72" in result.answer and "Berlin" in result.answer


def test_a_follow_up_swaps_the_value_it_names(default_agent: Agent) -> None:
    default_agent.run("What's 144 / 12?", thread="instead")
    plan, result = run_with_plan(default_agent, "and with 6 instead of 12?", thread="instead")
    assert [s.target for s in plan.steps] == ["calc.calculate"]
    assert "144 / 6" in plan.steps[0].query
    assert "24" in result.answer


def test_a_follow_up_number_keeps_the_unit_of_the_last_turn(default_agent: Agent) -> None:
    default_agent.run("How many days are in 6 weeks?", thread="weeks")
    plan, result = run_with_plan(default_agent, "and in 10?", thread="weeks")
    assert [s.target for s in plan.steps] == ["units.convert"]
    assert "10 weeks" in plan.steps[0].query
    assert "70" in result.answer
