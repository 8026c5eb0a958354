"""References of session 17, through the real Agent graph with the real calc and units MCP
servers and the bundled facts base: a quantity looked up inside an operation ("twice the
atomic number of iron"), "each of them", rounding what came before, and a passage's number
flowing into arithmetic."""

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


def test_a_quantity_looked_up_inside_an_operation_is_looked_up_first(
    default_agent: Agent,
) -> None:
    plan, result = run_with_plan(default_agent, "What's twice the atomic number of iron?")
    first, second = plan.steps
    assert (first.target, second.target) == ("facts", "calc.calculate")
    assert second.depends_on == [first.id]
    assert "= 52" in result.answer


def test_each_of_them_works_on_every_result_once(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "What's 6 times 7 and 3 times 4? Double each of them."
    )
    assert [len(s.depends_on) for s in plan.steps] == [0, 0, 1, 1]
    assert plan.steps[2].depends_on != plan.steps[3].depends_on
    assert "= 84" in result.answer and "= 24" in result.answer


def test_rounding_what_came_before(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "Convert 3 kg to pounds, then round it.")
    assert [s.target for s in plan.steps] == ["units.convert", "calc.calculate"]
    assert "= 7" in result.answer


def test_a_passage_s_number_flows_into_arithmetic(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "Look up standard gravity and multiply it by 75.")
    assert [s.target for s in plan.steps] == ["facts", "calc.calculate"]
    assert "735.49875" in result.answer
