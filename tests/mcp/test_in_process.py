"""Servers in the agent's own process (``McpServerSpec(module=...)``): the same tools, the same
failures, and no process; ``in_process=False`` still runs one, supervised as before."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError

from agentroute import Agent
from agentroute.mcp import McpHub, McpServerSpec, McpToolTarget
from agentroute.testing import ScriptedPlanner


def children(pid: int) -> set[int]:
    """Live child processes of ``pid``, as the kernel lists them."""
    found: set[int] = set()
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        found.update(int(p) for p in listing.read_text().split())
    return found


def by_name(hub: McpHub) -> dict[str, McpToolTarget]:
    return {t.name: t for t in hub.targets()}


async def test_in_process_tools_match_the_subprocess_ones_and_spawn_nothing() -> None:
    before = children(os.getpid())
    inside = McpHub([McpServerSpec(name="calc", module="agentroute_tools.calc")])
    await inside.start()
    outside = McpHub([McpServerSpec(name="calc", module="agentroute_tools.calc", in_process=False)])
    try:
        assert children(os.getpid()) == before  # the in-process server is no process
        await outside.start()
        spawned = children(os.getpid()) - before
        assert outside.servers["calc"].pid in spawned
        assert inside.servers["calc"].pid is None

        mine, theirs = by_name(inside)["calc.calculate"], by_name(outside)["calc.calculate"]
        assert mine.descriptor == theirs.descriptor  # same description, examples, schema, effect
        for target in (mine, theirs):
            obs = await target.invoke("s1", "What is 17 * 23", None, timeout=10)
            assert obs.ok and obs.result == "17 * 23 = 391", obs.error
            assert obs.data == {
                "expression": "17 * 23",
                "result": "391",
                "approximate": False,
                "value": 391.0,
            }
        refused = [await t.invoke("s2", "what is 1/0", None, timeout=10) for t in (mine, theirs)]
        assert [o.ok for o in refused] == [False, False]
        assert refused[0].error == refused[1].error
        assert "division by zero" in (refused[0].error or "")
    finally:
        await inside.aclose()
        await outside.aclose()
    assert children(os.getpid()) == before  # closed: no server left behind


async def test_a_tool_that_raises_fails_its_call_and_the_session_survives() -> None:
    hub = McpHub([McpServerSpec(name="r", module="raising_server")])
    await hub.start()
    try:
        targets = by_name(hub)
        boom = await targets["r.boom"].invoke("s1", "now", None, timeout=10)
        assert not boom.ok
        assert "boom on 'now'" in (boom.error or "") and "'r'" in (boom.error or "")
        echoed = await targets["r.echo"].invoke("s2", "still here", None, timeout=10)
        assert echoed.ok and echoed.result == "still here"
        server = hub.servers["r"]
        assert server.state == "ready" and server.restarts == 0
    finally:
        await hub.aclose()
    assert hub.servers["r"].state == "closed"


def test_a_raising_tool_is_a_failed_step_through_the_graph() -> None:
    planner = ScriptedPlanner([("now", "r.boom")], [("still here", "r.echo")])
    spec = McpServerSpec(name="r", module="raising_server")
    with Agent(mcp=[spec], planner=planner, checkpoint=False, max_rounds=1) as agent:
        first = agent.run("explode")
        second = agent.run("echo")
    step = first.steps[0]
    assert not step.ok and "boom on 'now'" in (step.error or "")
    assert first.answer  # the turn ended with an account of the failure
    assert second.steps[0].ok and second.steps[0].result == "still here"
    planner.assert_consumed()


@pytest.mark.parametrize(
    ("module", "message"),
    [
        ("no_such_module_here", "cannot import module 'no_such_module_here'"),
        ("mcp_support", "module 'mcp_support' has no MCP server named 'server'"),
    ],
)
async def test_a_module_that_serves_nothing_is_a_start_error(module: str, message: str) -> None:
    hub = McpHub([McpServerSpec(name="m", module=module, max_restarts=0)])
    await hub.start()
    try:
        assert message in hub.start_errors["m"]
        assert not hub.health()["m"].ok and hub.targets() == []
    finally:
        await hub.aclose()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"module": "a.b", "command": "x"}, "exactly one of 'command'"),
        ({"module": "a-b"}, "dotted Python module name"),
        ({"command": "x", "in_process": False}, "'in_process' applies to a 'module'"),
        ({"module": "a.b", "args": ["-v"]}, "'args' apply to a server process"),
        ({"module": "a.b", "env": {"A": "1"}}, "not to an in-process 'module'"),
        ({"module": "a.b", "warm_spare": True}, "'warm_spare' apply to a server process"),
        ({"module": "a.b", "headers": {"a": "b"}}, "'headers' apply to a 'url' only"),
    ],
)
def test_module_spec_errors_say_what_is_wrong(fields: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError) as info:
        McpServerSpec(name="s", **fields)
    assert message in str(info.value)


def test_a_module_runs_as_a_process_when_asked() -> None:
    inside = McpServerSpec(name="s", module="agentroute_tools.units")
    outside = McpServerSpec(
        name="s", module="agentroute_tools.units", in_process=False, args=["--x"], warm_spare=True
    )
    assert (inside.transport, outside.transport) == ("in_process", "stdio")
    assert outside.argv() == [sys.executable, "-m", "agentroute_tools.units", "--x"]
    with pytest.raises(ValueError, match="not a server process"):
        inside.argv()
