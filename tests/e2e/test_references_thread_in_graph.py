"""References on requests written the ways the blind14 set writes them, through the real Agent
graph (the embedded default: real calc and units MCP servers, the facts base, the geography
graph, SQLite or Postgres threads): the plan's dependencies, and the value that flows."""

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


def test_a_year_found_is_used_in_arithmetic(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent,
        "in which year was the printing press invented, and how many years before 1969 was that",
    )
    first, second = plan.steps
    assert (first.target, second.target) == ("facts", "calc.calculate")
    assert second.depends_on == [first.id]
    assert "529" in result.answer  # 1969 - 1440


def test_a_value_only_part_is_the_next_parts_object(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "Take 2 gallons, convert to litres, divide by 4")
    first, second = plan.steps
    assert (first.target, second.target) == ("units.convert", "calc.calculate")
    assert "2 gallons" in first.query and second.depends_on == [first.id]
    assert "1.89" in result.answer


def test_a_result_named_by_its_unit_two_parts_back(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "convert 5 miles to km; what is 12 * 12; and multiply the km figure by 10"
    )
    assert [s.target for s in plan.steps] == ["units.convert", "calc.calculate", "calc.calculate"]
    assert plan.steps[2].depends_on == [plan.steps[0].id]
    assert "80.4672" in result.answer


def test_said_amount_refers_back(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "What's 3 times 17? Subtract said amount from 100.")
    assert plan.steps[1].depends_on == [plan.steps[0].id]
    assert "49" in result.answer


def test_a_knowledge_answer_converted_in_the_next_turn(thread_agent: Agent) -> None:
    thread_agent.run("How tall is Mount Everest?", thread="everest14")
    result = thread_agent.run("how many feet is that please", thread="everest14")
    assert [s.target for s in result.steps] == ["units.convert"]
    assert "8,849" in result.steps[0].query
    assert "29032.1" in result.answer


def test_an_operation_takes_the_number_of_a_turn_of_several_parts(thread_agent: Agent) -> None:
    thread_agent.run("What is 6 * 7 and the capital of Peru?", thread="double14")
    result = thread_agent.run("double the number", thread="double14")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "84" in result.answer


def test_a_follow_up_of_two_parts_starts_from_the_last_result(thread_agent: Agent) -> None:
    thread_agent.run("what is 8 squared", thread="chain14")
    plan, result = run_with_plan(thread_agent, "ok now subtract 14, then divide by 5", "chain14")
    first, second = plan.steps
    assert "64" in first.query and second.depends_on == [first.id]
    assert "10" in result.answer.split("\n")[-1]


def test_years_since_a_year_the_last_turn_found(thread_agent: Agent) -> None:
    thread_agent.run("who invented dynamite?", thread="years14")
    result = thread_agent.run("how many years ago was that from 2020?", thread="years14")
    assert [s.target for s in result.steps] == ["calc.calculate"]
    assert "153" in result.answer


def test_a_correction_of_a_turn_of_several_parts_redoes_every_part(thread_agent: Agent) -> None:
    thread_agent.run("capital of Hungary and the currency there", thread="fix14")
    result = thread_agent.run("no, I meant Romania", thread="fix14")
    assert "Bucharest" in result.answer and "leu" in result.answer
