"""Multi-part requests written the ways the blind17 set found missing, through the real
default Agent and graph (calc and units MCP servers, the facts base in chromadb, the geography
graph): a slipped joining word ("pluss") still joins two parts, "... and when?" asks the first
part's question again with its own words, a list of "Y's X" lookups is one part per lookup,
two things of one subject ("the capital and official language of Kenya") are two steps, and
asks of two different names are never joined into one."""

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


def test_a_slipped_joining_word_still_joins_two_parts(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "convert 5 km to miles pluss the capital of Mexico")
    assert [s.target for s in plan.steps] == ["units.convert", "geography"], plan.reasoning
    assert "3.1" in result.answer and "Mexico City" in result.answer


def test_and_when_asks_the_question_before_again(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "Who invented the printing press and when?")
    assert [s.target for s in plan.steps] == ["facts", "facts"], plan.reasoning
    assert "printing press" in plan.steps[1].query
    assert "Gutenberg" in result.answer and "1440" in result.answer


def test_lookups_of_named_ones_are_one_step_each(default_agent: Agent) -> None:
    plan, result = run_with_plan(
        default_agent, "Germany's capital, France's language and Italy's currency"
    )
    assert [s.query for s in plan.steps] == [
        "Germany's capital",
        "France's language",
        "Italy's currency",
    ], plan.reasoning
    assert all(word in result.answer for word in ("Berlin", "French", "euro"))


def test_two_things_of_one_subject_are_two_steps(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "the capital and official language of Kenya")
    assert [s.query for s in plan.steps] == [
        "the capital of Kenya",
        "the official language of Kenya",
    ], plan.reasoning
    assert "Nairobi" in result.answer and "Swahili" in result.answer


def test_asks_of_two_names_are_never_one_ask(default_agent: Agent) -> None:
    plan, result = run_with_plan(default_agent, "capital of Serbia + currency of Romania")
    assert [s.query for s in plan.steps] == ["capital of Serbia", "currency of Romania"]
    assert "Belgrade" in result.answer and "leu" in result.answer
