"""Entities flowing from a knowledge answer to the step that refers to it, through the real
default Agent (the bundled geography graph, the facts base on chromadb on disk, real MCP
servers): "that river" is the river the graph found, not its whole quoted passage."""

from __future__ import annotations

from agentroute import Agent


def test_the_river_found_is_what_the_next_step_asks_about(default_agent: Agent) -> None:
    result = default_agent.run("Which river does Cairo lie on? How long is that river?")
    assert result.steps[0].target == "geography"
    assert all(s.ok for s in result.steps), [s.error for s in result.steps]
    second = result.steps[1]
    assert "Nile" in second.query and "—" not in second.query  # the entity, not the passage
    assert "6,650" in result.answer


def test_the_quantity_found_is_what_the_next_step_converts(default_agent: Agent) -> None:
    result = default_agent.run(
        "What's the boiling point of water in Celsius, and what is that in Fahrenheit?"
    )
    assert [s.target for s in result.steps] == ["facts", "units.convert"], result.steps
    assert all(s.ok for s in result.steps), [s.error for s in result.steps]
    assert result.steps[0].data["answer"] == "100 degrees Celsius"
    second = result.steps[1]
    assert "100 degrees Celsius" in second.query and "freezes" not in second.query
    assert "212" in result.answer
