"""A later part that refers to an earlier one, through the real Agent graph with the real calc
and units MCP servers: the plan has the dependency and the earlier value flows into it."""

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


def test_multiply_that_uses_the_converted_value(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "How many km are 5 miles? Then multiply that by 2.")
    first, second = plan.steps
    assert (first.target, second.target) == ("units.convert", "calc.calculate")
    assert second.depends_on == [first.id]
    assert second.query == f"multiply {{{{{first.id}}}}} by 2"
    steps = {s.id: s for s in result.steps}
    assert steps[second.id].ok, steps[second.id].error
    assert steps[second.id].query == "multiply 8.04672 by 2"  # the number, not the reply text
    assert "16.09344" in result.answer


def test_a_conversion_of_a_result_takes_it_with_its_unit(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "Convert 100 km to miles, and what is that in feet?"
    )
    first, second = plan.steps
    assert second.target == "units.convert" and second.depends_on == [first.id]
    steps = {s.id: s for s in result.steps}
    assert steps[second.id].ok, steps[second.id].error
    assert steps[second.id].query.startswith("what is 62.137")
    assert "mi in feet" in steps[second.id].query
    assert "328083.98" in result.answer


def test_two_results_feed_one_step(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "Convert 5 miles to km, 10 miles to km, and add the two results."
    )
    assert [s.target for s in plan.steps] == ["units.convert", "units.convert", "calc.calculate"]
    assert plan.steps[2].depends_on == [plan.steps[0].id, plan.steps[1].id]
    assert "24.14016" in result.answer


def test_independent_parts_have_no_dependency(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "What's 144 / 12 and 1500 + 2750?")
    assert [s.depends_on for s in plan.steps] == [[], []]
    assert "12" in result.answer and "4250" in result.answer


def test_a_word_problem_reaches_calc_and_its_result_flows_on(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "If I have 6 boxes with 8 eggs each, how many eggs is that? Then double it."
    )
    first, second = plan.steps
    assert first.target == "calc.calculate" and second.depends_on == [first.id]
    steps = {s.id: s for s in result.steps}
    assert steps[first.id].ok, steps[first.id].error
    assert steps[second.id].query == "double 48"
    assert "96" in result.answer


def test_a_question_after_stated_facts_is_computed(default_agent: Agent) -> None:
    _, result = run_with_plan(
        default_agent, "If the rent is 900 and there's a 20% rise, what's 20% of 900?"
    )
    assert [s.target for s in result.steps if s.ok] == ["calc.calculate"]
    assert "180" in result.answer


def test_the_previous_answer_flows_into_a_later_part(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "What's 11 * 11? Add 21 to the previous answer.")
    first, second = plan.steps
    assert (first.target, second.target) == ("calc.calculate", "calc.calculate")
    assert second.depends_on == [first.id]
    steps = {s.id: s for s in result.steps}
    assert steps[second.id].ok, steps[second.id].error
    assert steps[second.id].query == "Add 21 to 121"
    assert "142" in result.answer


def test_a_chain_of_three_by_step_number_and_that_many(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent,
        "Step 1: compute 2 to the power of 8. Step 2: subtract 56 from step 1's result. "
        "Step 3: convert that many grams to kg.",
    )
    assert [s.target for s in plan.steps] == ["calc.calculate", "calc.calculate", "units.convert"]
    assert [s.depends_on for s in plan.steps] == [[], [plan.steps[0].id], [plan.steps[1].id]]
    steps = {s.id: s for s in result.steps}
    assert steps[plan.steps[2].id].query.startswith("convert 200 grams")
    assert "0.2 kg" in result.answer


def test_a_reference_to_a_sum_is_routed_as_a_number(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "Add 12 and 30, then divide the sum by 6.")
    assert [s.target for s in plan.steps] == ["calc.calculate", "calc.calculate"]
    assert plan.steps[1].depends_on == [plan.steps[0].id]
    assert "42" in result.answer and "= 7" in result.answer
