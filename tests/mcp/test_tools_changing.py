"""Servers whose tool lists change: the agent follows them (a real server, the real graph)."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from pathlib import Path

from mcp_support import wait_until

from agentroute import Agent, AllowAllGate
from agentroute.mcp import McpHub, McpServerSpec

SERVER = Path(__file__).with_name("changing_server.py")


def spec(name: str = "changing", *args: str, **options: object) -> McpServerSpec:
    return McpServerSpec(name=name, command=sys.executable, args=[str(SERVER), *args], **options)


def eventually(check: Callable[[], bool], what: str, within_s: float = 30.0) -> None:
    """Poll ``check`` (changes arrive asynchronously); a bound, not a performance claim."""
    deadline = time.monotonic() + within_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.05)


async def test_the_hub_reports_a_list_changed_notification() -> None:
    seen: list[list[str]] = []
    async with McpHub([spec()]) as hub:
        hub.on_tools_changed(lambda server: seen.append(sorted(t.name for t in server.tools)))
        targets = {t.name: t for t in hub.targets()}
        assert "changing.quarterly_report" not in targets
        obs = await targets["changing.unlock"].invoke("s1", "", {}, timeout=10)
        assert obs.ok, obs.error
        server = hub.servers["changing"]
        assert await wait_until(lambda: bool(seen))
        assert seen == [["echo", "lock", "quarterly_report", "unlock"]]
        assert "changing.quarterly_report" in {t.name for t in hub.targets_of(server)}


def test_the_agent_routes_to_a_tool_that_appears_and_forgets_one_that_goes() -> None:
    # unlock/lock change the server: allowed outright here (without a policy they would ask)
    with Agent(mcp=[spec()], checkpoint=False, policy=AllowAllGate()) as agent:
        names = lambda: {d.name for d in agent.targets()}  # noqa: E731
        assert "changing.quarterly_report" not in names()
        unlocked = agent.run("enable the reporting tools")
        assert [s.target for s in unlocked.steps] == ["changing.unlock"], unlocked.answer
        eventually(lambda: "changing.quarterly_report" in names(), "the new tool is a target")

        result = agent.run("summarise the sales figures of the third quarter")
        assert [s.target for s in result.steps] == ["changing.quarterly_report"]
        assert "sales up 12%" in result.answer
        hits = agent.find_targets("quarterly sales figures", k=1)
        assert hits[0].descriptor.name == "changing.quarterly_report"  # in the index too

        agent.run("disable the reporting tools")
        eventually(lambda: "changing.quarterly_report" not in names(), "the tool is gone")
        assert all(h.descriptor.name != "changing.quarterly_report"
                   for h in agent.find_targets("quarterly sales figures", k=5))  # fmt: skip


def test_a_server_down_at_start_joins_when_it_comes_up(tmp_path: Path) -> None:
    ready = tmp_path / "dependency-ready"
    late = spec("late", "--wait-for", str(ready), max_restarts=1, breaker_cooldown_s=0.3)
    with Agent(mcp=[late], checkpoint=False, policy=AllowAllGate()) as agent:
        names = lambda: {d.name for d in agent.targets()}  # noqa: E731
        assert not any(n.startswith("late.") for n in names())
        before = agent.run("enable the reporting tools")  # the turn says there is no tool
        assert not before.steps or all(not s.ok for s in before.steps)

        ready.touch()
        eventually(lambda: "late.unlock" in names(), "the late server's tools are targets")
        result = agent.run("enable the reporting tools")
        assert [s.target for s in result.steps] == ["late.unlock"]
        assert all(s.ok for s in result.steps), [s.error for s in result.steps]


def test_a_tool_that_appears_is_still_gated_by_the_policy(tmp_path: Path) -> None:
    """Least privilege holds for tools the policy never saw: default deny."""
    policy = tmp_path / "changing.policy"
    policy.write_text("allow changing.unlock, changing.lock, changing.echo\n", encoding="utf-8")
    with Agent(mcp=[spec()], policy=policy, checkpoint=False) as agent:
        assert agent.run("enable the reporting tools").steps[0].ok
        eventually(
            lambda: "changing.quarterly_report" in {d.name for d in agent.targets()},
            "the new tool is a target",
        )
        result = agent.run("summarise the sales figures of the third quarter")
        # denied whatever the call: never planned, never dispatched
        assert all(s.target != "changing.quarterly_report" for s in result.steps)
        plans = [e.data for e in result.trace if e.kind == "plan"]
        assert all("changing.quarterly_report" in p["hidden_by_policy"] for p in plans)
        assert "sales up 12%" not in result.answer


async def test_a_server_that_stays_down_is_probed_ever_less_loudly(tmp_path: Path) -> None:
    """Re-probing a dead server must not flood the log (or a chat's screen) with warnings."""
    from structlog.testing import capture_logs

    never = spec("never", "--wait-for", str(tmp_path / "absent"), max_restarts=0)
    never = never.model_copy(update={"breaker_cooldown_s": 0.05})
    with capture_logs() as logs:
        async with McpHub([never]) as hub:
            server = hub.servers["never"]
            # the first start and three probes, all failed
            assert await wait_until(lambda: server.restarts >= 4, timeout=20)
            assert not hub.health()["never"].ok
    downs = [e for e in logs if e["event"] == "mcp.server.down"]
    assert [e["log_level"] for e in downs if e["log_level"] == "warning"] == ["warning"], downs
