"""Requests written loosely, through the real Agent graph and the real calc and units MCP
servers (session 11): a lower-case sentence after a full stop is a part whose "it" takes the
first part's value at dispatch, a result named by what was done to get it ("whatever you
got") flows the same way, and bare numbers ("3 to the 4th") never go to the converter."""

from __future__ import annotations

from agentroute import Agent
from agentroute.build import builtin_mcp_specs
from agentroute.embeddings import default_embedder


def test_loose_parts_plan_and_answer_through_the_graph() -> None:
    with Agent(mcp=builtin_mcp_specs(), embedder=default_embedder(), warm_spares=False) as agent:
        sentences = agent.run("what is 6 factorial. now divide it by 6")
        relative = agent.run("convert 10 miles to km and multiply whatever you got by 2")
        powers = agent.run("What's 2 to the 8th and 3 to the 4th?")
    assert [s.target for s in sentences.steps] == ["calc.calculate", "calc.calculate"]
    assert sentences.steps[1].args == {"query": "divide 720 by 6"}, sentences.trace
    assert "720" in sentences.answer and "120" in sentences.answer

    assert [s.target for s in relative.steps] == ["units.convert", "calc.calculate"]
    assert "16.09344" in str(relative.steps[1].args), relative.trace
    assert "32.18688" in relative.answer

    assert [s.target for s in powers.steps] == ["calc.calculate", "calc.calculate"], powers.trace
    assert "256" in powers.answer and "81" in powers.answer
