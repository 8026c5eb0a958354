"""Parts run together and numbers said in words, through the real Agent graph and the real
calc and units MCP servers (session 16): a second part written on without punctuation, each
side with numbers of its own, is a part apart; two operations said in words and joined by
"and" are two parts; "plus" between two calculations is one sum; a fraction said after the
unit is read by the converter."""

from __future__ import annotations

from agentroute import Agent
from agentroute.build import builtin_mcp_specs
from agentroute.embeddings import default_embedder


def test_run_together_parts_plan_and_answer_through_the_graph() -> None:
    with Agent(mcp=builtin_mcp_specs(), embedder=default_embedder(), warm_spares=False) as agent:
        run_on = agent.run("convert 5 km to miles whats 12 times 7")
        spoken = agent.run("twenty times thirty and forty divided by eight")
        one_sum = agent.run("what is 3 squared plus 4 squared")
        half = agent.run("how many seconds are in an hour and a half")

    assert [s.target for s in run_on.steps] == ["units.convert", "calc.calculate"], run_on.trace
    assert "3.106855961" in run_on.answer and "84" in run_on.answer

    assert [s.target for s in spoken.steps] == ["calc.calculate", "calc.calculate"], spoken.trace
    assert "600" in spoken.answer and "= 5" in spoken.answer and "605" not in spoken.answer

    assert [s.target for s in one_sum.steps] == ["calc.calculate"], one_sum.trace
    assert "25" in one_sum.answer

    assert [s.target for s in half.steps] == ["units.convert"], half.trace
    assert "5400" in half.answer
