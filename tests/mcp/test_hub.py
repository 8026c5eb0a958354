"""McpHub against real server processes: the project's tools, a misbehaving server, HTTP."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading

import pytest
from mcp_support import KB_SERVER, alive, free_port, misbehaving_spec, wait_until

from agentroute.mcp import McpHub, McpServerSpec, McpToolTarget
from agentroute.protocols import Target
from agentroute.types import TargetKind


def by_name(hub: McpHub) -> dict[str, McpToolTarget]:
    return {t.name: t for t in hub.targets()}


async def test_calc_and_units_over_stdio():
    hub = McpHub(
        [
            McpServerSpec(
                name="calc", command=sys.executable, args=["-m", "agentroute_tools.calc"]
            ),
            McpServerSpec(
                name="units", command=sys.executable, args=["-m", "agentroute_tools.units"]
            ),
        ]
    )
    await hub.start()
    try:
        targets = by_name(hub)
        assert set(targets) == {"calc.calculate", "units.convert"}
        calc = targets["calc.calculate"]
        assert isinstance(calc, Target)
        assert calc.descriptor.kind is TargetKind.TOOL
        assert calc.descriptor.server == "calc"
        assert "What is 17 * 23" in calc.descriptor.examples
        assert calc.descriptor.input_schema["required"] == ["query"]

        obs = await calc.invoke("s1", "What is 17 * 23", None, timeout=10)
        assert obs.ok, obs.error
        assert obs.result == "17 * 23 = 391"
        assert obs.data["result"] == "391"
        assert [s.name for s in obs.sources] == ["calc.calculate"]
        assert obs.step_id == "s1" and obs.kind is TargetKind.TOOL

        obs = await targets["units.convert"].invoke(
            "s2", "how many kilometres are 5 miles", None, timeout=10
        )
        assert obs.ok and obs.result == "5 mi = 8.04672 km"

        bad = await calc.invoke("s3", "what is the meaning of life", None, timeout=10)
        assert not bad.ok
        assert "calc.calculate" in bad.error and "could not read" in bad.error

        explicit = await calc.invoke("s4", "ignored", {"query": "2 to the power of 10"}, timeout=10)
        assert explicit.result == "2 ** 10 = 1024"

        many = await asyncio.gather(
            *(calc.invoke(f"p{i}", f"{i} * 3", None, timeout=10) for i in range(20))
        )
        assert [o.result for o in many] == [f"{i} * 3 = {i * 3}" for i in range(20)]
        assert all(h.ok for h in hub.health().values())
    finally:
        await hub.aclose()


@pytest.mark.slow  # restarts a server process (seconds on a loaded machine)
async def test_kill_9_mid_call_reports_the_server_and_recovers():
    hub = McpHub([misbehaving_spec("bad")])
    await hub.start()
    try:
        server = hub.servers["bad"]
        targets = by_name(hub)
        pid = server.pid
        assert pid is not None and alive(pid)
        call = asyncio.create_task(targets["bad.hang"].invoke("s1", "x", None, timeout=30))
        await asyncio.sleep(0.3)
        os.kill(pid, signal.SIGKILL)
        obs = await call
        assert not obs.ok
        assert obs.error == "server 'bad' crashed (exit code -9); restarting"

        again = await targets["bad.echo"].invoke("s2", "hello again", None, timeout=30)
        assert again.ok and again.result == "hello again"
        assert server.pid != pid and server.restarts == 1
    finally:
        await hub.aclose()


@pytest.mark.slow  # restarts a server process (seconds on a loaded machine)
async def test_hanging_call_times_out_then_server_serves_again():
    hub = McpHub([misbehaving_spec("bad")])
    await hub.start()
    try:
        targets = by_name(hub)
        pid = hub.servers["bad"].pid
        obs = await targets["bad.hang"].invoke("s1", "x", None, timeout=0.5)
        assert not obs.ok
        assert obs.error == "server 'bad' timed out after 0.5s calling 'hang'; restarting"
        again = await targets["bad.echo"].invoke("s2", "back", None, timeout=30)
        assert again.ok and again.result == "back"
        assert await wait_until(lambda: not alive(pid))  # the hung process was recycled
    finally:
        await hub.aclose()


@pytest.mark.slow  # restarts a server process (seconds on a loaded machine)
async def test_garbage_on_stdout_is_a_clear_error_not_a_crash():
    hub = McpHub([misbehaving_spec("bad")])
    await hub.start()
    try:
        targets = by_name(hub)
        obs = await targets["bad.garbage"].invoke("s1", "x", None, timeout=20)
        assert not obs.ok
        assert obs.error.startswith("server 'bad' wrote invalid output on stdout")
        assert "this is not json-rpc" in obs.error
        again = await targets["bad.echo"].invoke("s2", "fine", None, timeout=30)
        assert again.ok and again.result == "fine"
    finally:
        await hub.aclose()


async def test_env_allow_list_keeps_secrets_out(monkeypatch):
    monkeypatch.setenv("AGENTROUTE_TEST_SECRET", "hunter2")
    monkeypatch.setenv("AGENTROUTE_TEST_SHARED", "yes")
    hub = McpHub(
        [
            misbehaving_spec("plain"),
            misbehaving_spec(
                "allowed",
                env_allow=["PATH", "AGENTROUTE_TEST_SHARED"],
                env={"EXPLICIT_VALUE": "1"},
            ),
        ]
    )
    await hub.start()
    try:
        targets = by_name(hub)
        plain = (await targets["plain.env_keys"].invoke("s1", "", None, timeout=20)).result.split()
        allowed = (
            await targets["allowed.env_keys"].invoke("s2", "", None, timeout=20)
        ).result.split()
        assert "AGENTROUTE_TEST_SECRET" not in plain and "AGENTROUTE_TEST_SHARED" not in plain
        assert "PATH" in plain
        assert "AGENTROUTE_TEST_SECRET" not in allowed
        assert {"AGENTROUTE_TEST_SHARED", "EXPLICIT_VALUE", "PATH"} <= set(allowed)
        assert "HOME" not in allowed
    finally:
        await hub.aclose()


async def test_aclose_leaves_no_orphan_process():
    hub = McpHub([misbehaving_spec("bad")])
    await hub.start()
    pid = hub.servers["bad"].pid
    child = await by_name(hub)["bad.spawn_child"].invoke("s1", "", None, timeout=20)
    grandchild = int(child.result)
    assert alive(pid) and alive(grandchild)
    await hub.aclose()
    assert await wait_until(lambda: not alive(pid) and not alive(grandchild))
    assert hub.servers["bad"].state == "closed"
    obs = await by_name(hub)["bad.echo"].invoke("s2", "x", None, timeout=5)
    assert not obs.ok and obs.error == "server 'bad' is closed"


@pytest.mark.slow  # restarts a server process (seconds on a loaded machine)
async def test_breaker_opens_after_repeated_failures_then_half_opens():
    hub = McpHub([misbehaving_spec("bad", breaker_threshold=2, breaker_cooldown_s=1.0)])
    await hub.start()
    try:
        targets = by_name(hub)
        for i in range(2):
            obs = await targets["bad.crash"].invoke(f"c{i}", "x", None, timeout=30)
            assert not obs.ok and "crashed (exit code 3)" in obs.error
        fast = await targets["bad.echo"].invoke("s1", "x", None, timeout=30)
        assert not fast.ok
        assert "circuit breaker is open after 2 consecutive failures" in fast.error
        assert not hub.health()["bad"].ok
        await asyncio.sleep(1.1)
        trial = await targets["bad.echo"].invoke("s2", "after cooldown", None, timeout=30)
        assert trial.ok, trial.error
        assert hub.health()["bad"].ok or "breaker" not in hub.health()["bad"].detail
    finally:
        await hub.aclose()


async def test_a_server_that_fails_to_start_does_not_stop_the_others():
    hub = McpHub(
        [
            McpServerSpec(
                name="calc", command=sys.executable, args=["-m", "agentroute_tools.calc"]
            ),
            McpServerSpec(name="missing", command="/nonexistent/agentroute-server", max_restarts=0),
            McpServerSpec(
                name="broken",
                command=sys.executable,
                args=["-m", "no_such_module_xyz"],
                max_restarts=0,
            ),
            misbehaving_spec("chatty", "--garbage-at-start", max_restarts=0),
            McpServerSpec(name="off", command="/nonexistent", enabled=False),
        ]
    )
    await hub.start()
    try:
        health = hub.health()
        assert health["calc"].ok
        assert not health["missing"].ok and "No such file" in health["missing"].detail
        assert not health["broken"].ok
        assert "crashed (exit code 1)" in health["broken"].detail
        assert "no_such_module_xyz" in health["broken"].detail
        assert not health["chatty"].ok and "invalid output on stdout" in health["chatty"].detail
        assert "off" not in health
        assert "failed to start" in hub.start_errors["missing"]
        assert [t.name for t in hub.targets()] == ["calc.calculate"]
        obs = await by_name(hub)["calc.calculate"].invoke("s1", "1+1", None, timeout=10)
        assert obs.ok
    finally:
        await hub.aclose()


async def test_argument_filling_for_structured_tools():
    hub = McpHub([misbehaving_spec("bad")])
    await hub.start()
    try:
        targets = by_name(hub)
        obs = await targets["bad.add"].invoke("s1", "", {"a": 2, "b": 40}, timeout=20)
        assert obs.ok and obs.result == "42"
        filled = await targets["bad.add"].invoke("s2", "add a=3 and b=4", None, timeout=20)
        unfillable = await targets["bad.add"].invoke("s3", "no numbers here", None, timeout=20)
        assert filled.ok or "could not derive arguments" in (filled.error or "")
        assert not unfillable.ok
        assert "could not derive arguments for tool 'bad.add'" in unfillable.error
        wrong = await targets["bad.add"].invoke("s4", "", {"a": "x"}, timeout=20)
        assert not wrong.ok and "bad.add" in wrong.error
        assert hub.health()["bad"].ok  # a bad call is not a server failure
    finally:
        await hub.aclose()


@pytest.mark.slow  # restarts a server process (seconds on a loaded machine)
async def test_streamable_http_with_headers_and_reconnect(http_server):
    port = free_port()
    proc = http_server(
        [os.path.join(os.path.dirname(__file__), "misbehaving_server.py"), "--http", str(port)],
        port,
    )
    spec = McpServerSpec(
        name="remote",
        url=f"http://127.0.0.1:{port}/mcp",
        headers={"Authorization": "Bearer test-token"},
        call_timeout_s=20,
    )
    hub = McpHub([spec])
    await hub.start()
    try:
        targets = by_name(hub)
        obs = await targets["remote.echo"].invoke("s1", "over http", None, timeout=20)
        assert obs.ok and obs.result == "over http"
        auth = await targets["remote.authorization"].invoke("s2", "", None, timeout=20)
        assert auth.result == "Bearer test-token"

        proc.kill()
        proc.wait()
        down = await targets["remote.echo"].invoke("s3", "x", None, timeout=5)
        assert not down.ok and "server 'remote'" in down.error

        http_server(
            [os.path.join(os.path.dirname(__file__), "misbehaving_server.py"), "--http", str(port)],
            port,
        )
        assert await wait_until(lambda: hub.servers["remote"].state == "ready", timeout=30)
        back = await targets["remote.echo"].invoke("s4", "reconnected", None, timeout=20)
        assert back.ok, back.error

        # The server restarts between two calls: the old session id is gone on the new one.
        hub_proc = http_server.procs[-1]
        hub_proc.kill()
        hub_proc.wait()
        http_server(
            [os.path.join(os.path.dirname(__file__), "misbehaving_server.py"), "--http", str(port)],
            port,
        )
        stale = await targets["remote.echo"].invoke("s5", "x", None, timeout=20)
        assert not stale.ok
        assert stale.error == "server 'remote' HTTP request failed (Session not found); restarting"
        fresh = await targets["remote.echo"].invoke("s6", "new session", None, timeout=20)
        assert fresh.ok and fresh.result == "new session", fresh.error
    finally:
        await hub.aclose()


async def test_units_tool_over_http(http_server):
    port = free_port()
    http_server(["-m", "agentroute_tools.units", "--http", "--port", str(port)], port)
    hub = McpHub([McpServerSpec(name="units", url=f"http://127.0.0.1:{port}/mcp")])
    await hub.start()
    try:
        obs = await by_name(hub)["units.convert"].invoke("s1", "100 °F to °C", None, timeout=20)
        assert obs.ok and obs.result == "100 °F ≈ 37.77777778 °C"
    finally:
        await hub.aclose()


async def test_serve_a_knowledge_base_target_and_call_it_through_the_hub():
    hub = McpHub([McpServerSpec(name="kb", command=sys.executable, args=[KB_SERVER])])
    await hub.start()
    try:
        targets = by_name(hub)
        assert set(targets) == {"kb.facts", "kb.echo_agent"}
        assert "what is the capital of France" in targets["kb.facts"].descriptor.examples
        obs = await targets["kb.facts"].invoke(
            "s1", "What is the capital of France?", None, timeout=20
        )
        assert obs.ok and obs.result == "Paris is the capital of France."
        assert obs.data["sources"][0]["ref"] == "capital of france"
        miss = await targets["kb.facts"].invoke("s2", "the airspeed of a swallow", None, timeout=20)
        assert not miss.ok and "no fact matches" in miss.error
        echo = await targets["kb.echo_agent"].invoke("s3", "hi", None, timeout=20)
        assert echo.result == "you asked: hi"
    finally:
        await hub.aclose()


def test_hub_on_a_background_loop_used_from_another_loop():
    """The lead runs the agent on a dedicated loop thread; callers may sit on another loop."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    hub = McpHub(
        [McpServerSpec(name="calc", command=sys.executable, args=["-m", "agentroute_tools.calc"])]
    )
    try:
        asyncio.run_coroutine_threadsafe(hub.start(), loop).result(60)
        target = by_name(hub)["calc.calculate"]

        async def from_main_loop():
            obs = await target.invoke("s1", "6 * 7", None, timeout=10)
            await hub.aclose()
            return obs

        obs = asyncio.run(from_main_loop())
        assert obs.ok and obs.result == "6 * 7 = 42"
        assert hub.servers["calc"].state == "closed"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)
        loop.close()


def test_duplicate_server_names_are_rejected():
    with pytest.raises(ValueError, match="both named 'x'"):
        McpHub([misbehaving_spec("x"), misbehaving_spec("x")])


@pytest.mark.slow  # restarts a server process (seconds on a loaded machine)
async def test_warm_spare_takes_over_after_a_crash_and_is_cleaned_up():
    hub = McpHub([misbehaving_spec("bad", warm_spare=True)])
    await hub.start()
    server = hub.servers["bad"]
    try:
        first = server.pid
        spare = server._spare
        assert spare is not None and alive(spare.pid) and spare.pid != first
        os.kill(first, signal.SIGKILL)
        obs = await by_name(hub)["bad.echo"].invoke("s1", "from the spare", None, timeout=30)
        if not obs.ok:  # the call raced the crash detection; the next one is served
            obs = await by_name(hub)["bad.echo"].invoke("s2", "from the spare", None, timeout=30)
        assert obs.ok and obs.result == "from the spare"
        assert server.pid == spare.pid
        next_spare = server._spare
        assert next_spare is not None and next_spare.pid != spare.pid
    finally:
        await hub.aclose()
    assert await wait_until(lambda: not alive(spare.pid) and not alive(next_spare.pid))


@pytest.mark.slow  # kills a server process under five calls
async def test_the_calls_one_crash_takes_down_are_one_failure_for_the_breaker():
    """Five calls in flight when the server is killed: one fault, counted once. Counted once
    per call, they would open the breaker (threshold 3) and the server, back at once, would
    refuse every call for its cooldown."""
    hub = McpHub([misbehaving_spec("bad", breaker_threshold=3, breaker_cooldown_s=600)])
    await hub.start()
    try:
        server = hub.servers["bad"]
        targets = by_name(hub)
        pid = server.pid
        assert pid is not None
        calls = [
            asyncio.create_task(targets["bad.hang"].invoke(f"h{i}", "x", None, timeout=30))
            for i in range(5)
        ]
        assert await wait_until(lambda: server.calls_in_flight == 5)
        os.kill(pid, signal.SIGKILL)
        lost = await asyncio.gather(*calls)
        assert all(not o.ok and o.unavailable for o in lost), [o.error for o in lost]
        assert server.breaker.failures == 1 and not server.breaker_open
        again = await targets["bad.echo"].invoke("e1", "back", None, timeout=30)
        assert again.ok and again.result == "back", again.error
        assert server.calls_in_flight == 0
    finally:
        await hub.aclose()
