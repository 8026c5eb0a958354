"""An accented city, through the real Agent with the official time server: its own zone,
not the server's local one (before: "time in São Paulo" answered in UTC)."""

from __future__ import annotations

from agentroute import Agent
from agentroute.mcp import McpServerSpec


def test_time_in_an_accented_city_is_read_in_its_zone(time_spec: McpServerSpec) -> None:
    with Agent(mcp=[time_spec], warm_spares=False) as agent:
        result = agent.run("time in São Paulo")
    assert [s.target for s in result.steps] == ["time.get_current_time"], result.trace
    assert "America/Sao_Paulo" in result.answer, result.answer
