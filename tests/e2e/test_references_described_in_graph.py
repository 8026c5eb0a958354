"""References between parts written the ways session 19's blind set found missing, through the
real default Agent and graph (calc and units MCP servers, the facts base in chromadb, the
geography graph): a result named by the measure it is ("convert the distance to miles"), by
where it was given ("the answer above"), as the total of a list, as "said country"; an operation
or a unit alone as a part ("square root", "now in ounces"); arrows between steps; a question
about a result ("is that prime?")."""

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


def test_a_measure_named_with_the_is_the_result_that_asked_for_it(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "How far is the Moon from Earth? Convert the distance to miles."
    )
    first, second = plan.steps
    assert (first.target, second.target) == ("facts", "units.convert"), plan.reasoning
    assert second.depends_on == [first.id]
    assert "238855" in result.answer


def test_where_a_result_was_given_is_part_of_its_reference(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "What's 64 divided by 8? Multiply the answer above by 12."
    )
    first, second = plan.steps
    assert second.depends_on == [first.id] and "above" not in second.query
    assert "96" in result.answer


def test_the_total_of_a_list_depends_on_every_item(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "What's 45 * 2 and 30 * 3? Divide the total by 9.")
    first, second, third = plan.steps
    assert sorted(third.depends_on) == sorted([first.id, second.id]), plan.reasoning
    assert "20" in result.answer.splitlines()[-1]


def test_an_operation_or_a_unit_alone_works_on_the_result_before(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "Work out 17 + 8; square root; times 10")
    assert [s.target for s in plan.steps] == ["calc.calculate"] * 3, plan.reasoning
    assert plan.steps[1].depends_on == [plan.steps[0].id]
    assert "50" in result.answer.splitlines()[-1]
    plan, result = run_with_plan(default_agent, "what's 2 kg in pounds, now in ounces")
    assert [s.target for s in plan.steps] == ["units.convert", "units.convert"], plan.reasoning
    assert "70.54" in result.answer


def test_arrows_chain_steps_and_still_convert(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "100 km -> miles -> times 2")
    assert [s.target for s in plan.steps] == ["units.convert", "calc.calculate"], plan.reasoning
    assert "124.27" in result.answer
    plan, result = run_with_plan(default_agent, "60 mph -> km/h")
    assert [s.target for s in plan.steps] == ["units.convert"]
    assert "96.56064" in result.answer


def test_is_that_prime_asks_of_the_result(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "What's 7 times 13? Is that prime?")
    first, second = plan.steps
    assert second.depends_on == [first.id] and "prime" in second.query
    assert "91 is not prime" in result.answer


def test_said_country_is_the_country_found_or_the_one_named(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent,
        "Which country is Nairobi the capital of, and what currency does said country use?",
    )
    first, second = plan.steps
    assert second.target == "geography" and second.depends_on == [first.id], plan.reasoning
    assert "shilling" in result.answer
    plan, result = run_with_plan(
        default_agent, "What language is spoken in Austria, and what is said country's currency?"
    )
    assert all(not s.depends_on for s in plan.steps), plan.reasoning
    assert "Austria" in plan.steps[-1].query and "euro" in result.answer


def test_two_measures_counted_are_the_two_results(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent,
        "How many km is 26.2 miles and how many km is 13.1 miles? Add the two distances.",
    )
    first, second, third = plan.steps
    assert sorted(third.depends_on) == sorted([first.id, second.id]), plan.reasoning
    assert "63.247" in result.answer
