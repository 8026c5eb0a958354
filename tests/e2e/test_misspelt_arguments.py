"""Slips reach the right answer through the real graph: the embedded default agent (its real
calc and units servers, the bundled geography graph) asked with misspelt units, countries
and relations. What the target was asked, and each word read otherwise, is in the trace
(`agentroute.turn._readers`; the calc and units servers' own reading)."""

from __future__ import annotations

from agentroute import Agent


def test_a_misspelt_unit_is_converted_right(default_agent: Agent) -> None:
    result = default_agent.run("convert 5 imles to kilomters")
    assert [s.target for s in result.steps] == ["units.convert"], result.trace
    assert "8.04672" in result.answer


def test_a_misspelt_country_and_relation_are_read_in_the_graphs_words(
    default_agent: Agent,
) -> None:
    result = default_agent.run("wats the captial of Frnace")
    assert [s.target for s in result.steps] == ["geography"], result.trace
    assert "Paris" in result.answer
    assert result.steps[0].query == "wats the capital of France"  # what the graph was asked
    read = [e.data["read"] for e in result.trace if e.kind == "spelling"]
    assert read == [{"captial": "capital", "Frnace": "France"}]


def test_a_real_name_is_not_corrected_into_another(default_agent: Agent) -> None:
    result = default_agent.run("what is the capital of Chile")
    assert not [e for e in result.trace if e.kind == "spelling"]
    assert "Beijing" not in result.answer and "Santiago" not in result.answer
