"""References between parts written the ways blind set 16 writes them, through the real Agent
graph with the embedded default's calc and units MCP servers and its geography and facts
bases: "the difference between them", "the first one", "its square root" of a value-only
part, and a question about what a base found ("which sea does that river flow into?")."""

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


def test_the_difference_between_them_takes_both_results(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent,
        "How many pounds is 1 kg and how many pounds is 3 kg; what's the difference between them?",
    )
    first, second, third = plan.steps
    assert third.target == "calc.calculate"
    assert sorted(third.depends_on) == sorted([first.id, second.id])
    assert "4.409" in result.answer


def test_the_first_one_after_a_number_is_the_first_part(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent,
        "Convert 3 miles to km, convert 4 kg to pounds, then add 1 to the first one.",
    )
    first, _, third = plan.steps
    assert third.depends_on == [first.id]
    assert "5.828" in result.answer


def test_its_square_root_of_a_value_only_part_is_one_step(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "Take 144, find its square root, then multiply the result by 10"
    )
    first, second = plan.steps
    assert "144" in first.query
    assert second.depends_on == [first.id]
    assert "120" in result.answer


def test_a_question_about_what_a_base_found_goes_to_that_base(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "Which river does Paris lie on and which sea does that river flow into?"
    )
    first, second = plan.steps
    assert (first.target, second.target) == ("geography", "geography")
    assert second.depends_on == [first.id]
    assert "English Channel" in result.answer


def test_they_points_back_to_the_country_found(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "Which country has Canberra as its capital? What currency do they use?"
    )
    first, second = plan.steps
    assert second.depends_on == [first.id]
    assert "Australian dollar" in result.answer
