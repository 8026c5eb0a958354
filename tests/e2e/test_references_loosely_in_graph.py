"""References written the many ways people write them, through the real Agent graph with the
real calc and units MCP servers: "how many yards that is", "half of that", "after you've got
that", "the same for 8 miles", "its capital" (the blind set of issue 13's references)."""

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


def test_that_as_the_subject_of_an_embedded_question_points_back(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "Convert 2 miles to feet, then tell me how many yards that is"
    )
    first, second = plan.steps
    assert (first.target, second.target) == ("units.convert", "units.convert")
    assert second.depends_on == [first.id]
    assert "3520" in result.answer


def test_a_bare_number_flowing_in_goes_to_the_calculator(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "Convert 3 gallons to liters, then the result times 2"
    )
    first, second = plan.steps
    assert (first.target, second.target) == ("units.convert", "calc.calculate")
    assert second.depends_on == [first.id]
    assert "22.71247" in result.answer


def test_that_after_a_preposition_points_back(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "Whats 1000 / 8? And half of that?")
    assert [s.target for s in plan.steps] == ["calc.calculate", "calc.calculate"]
    assert plan.steps[1].depends_on == [plan.steps[0].id]
    assert "62.5" in result.answer


def test_a_part_that_only_waits_for_a_result_takes_no_step(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent,
        "hey, quick one: what's 250 times 4? and after you've got that, convert it from grams"
        " to ounces",
    )
    first, second = plan.steps
    assert (first.target, second.target) == ("calc.calculate", "units.convert")
    assert second.depends_on == [first.id]
    assert "35.27" in result.answer


def test_the_same_for_another_value_asks_the_part_before_again(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "Convert 5 miles to km and the same for 8 miles")
    assert [(s.target, s.depends_on) for s in plan.steps] == [
        ("units.convert", []),
        ("units.convert", []),
    ]
    assert plan.steps[1].query == "Convert 8 miles to km"
    assert "8.04672" in result.answer and "12.87" in result.answer


def test_its_takes_the_owner_named_without_an_article(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "currency of Japan and also its capital")
    assert [s.depends_on for s in plan.steps] == [[], []]
    assert "Japan" in plan.steps[1].query
    assert "yen" in result.answer and "Tokyo" in result.answer
