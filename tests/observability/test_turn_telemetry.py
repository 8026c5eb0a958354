"""A real turn through the real graph, a real MCP server (the misbehaving one: ``echo`` answers,
``fail`` raises) and a real policy file, seen by the SDK's in-memory span exporter and by the
Prometheus counters: turn → nodes → policy checks and calls, with their attributes; the
counters move by exactly what the turns did."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import StatusCode
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from agentroute import Agent, ChatModelExpert, Step, TargetDescriptor, TargetKind
from agentroute.mcp import McpServerSpec
from agentroute.observability import (
    enable_metrics,
    metrics_app,
    metrics_text,
    use_tracer_provider,
)
from agentroute.testing import ScriptedChatModel, ScriptedPlanner

REPO = Path(__file__).resolve().parents[2]
SERVER = REPO / "tests" / "mcp" / "misbehaving_server.py"
NODES = {"recall", "plan", "route", "gate", "dispatch", "observe", "answer", "remember"}


def samples() -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the exposition, by name and labels."""
    found = {}
    for family in text_string_to_metric_families(metrics_text().decode()):
        for s in family.samples:
            found[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return found


def delta(before: dict, after: dict, name: str, **labels: str) -> float:
    key = (name, tuple(sorted(labels.items())))
    return after.get(key, 0.0) - before.get(key, 0.0)


@pytest.fixture
def spans() -> Iterator[InMemorySpanExporter]:
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    use_tracer_provider(provider)
    enable_metrics()
    try:
        yield exporter
    finally:
        use_tracer_provider(None)
        enable_metrics(False)
        provider.shutdown()


@pytest.fixture
def policy(tmp_path: Path) -> Path:
    path = tmp_path / "ops.policy"
    path.write_text(
        "allow misbehaving.echo\nallow misbehaving.fail\ndeny misbehaving.env_keys\n"
        "ask misbehaving.add\nallow expert.writer\n",
        encoding="utf-8",
    )
    return path


def _server() -> McpServerSpec:
    return McpServerSpec(name="misbehaving", command=sys.executable, args=[str(SERVER)])


def _writer() -> ChatModelExpert:
    descriptor = TargetDescriptor(
        name="writer",
        kind=TargetKind.EXPERT,
        description="writes short texts",
        price_in_per_m=1.0,
        price_out_per_m=2.0,
    )
    return ChatModelExpert(ScriptedChatModel(replies=["a haiku about logs"]), descriptor)


def _children(all_spans: list[ReadableSpan], parent: ReadableSpan) -> list[ReadableSpan]:
    return [
        s for s in all_spans if s.parent is not None and s.parent.span_id == parent.context.span_id
    ]


def test_a_turn_is_a_span_tree_and_moves_the_counters(spans, policy) -> None:
    planner = ScriptedPlanner(
        [
            ("say hi", "misbehaving.echo", {"query": "hi"}),
            ("break", "misbehaving.fail", {"query": "x"}),
            ("list keys", "misbehaving.env_keys", {}),
            ("write a haiku about logs", "writer", None),
        ],
        [],  # round 2, after the failure and the denial: nothing more
    )
    before = samples()
    with Agent(mcp=[_server()], targets=[_writer()], planner=planner, policy=policy) as agent:
        result = agent.run("do four things", thread="ops-1")
    after = samples()
    by_query = {s.query: s for s in result.steps}
    assert by_query["say hi"].ok and not by_query["break"].ok
    assert by_query["list keys"].policy.effect == "deny"
    writer = by_query["write a haiku about logs"]
    assert writer.ok and writer.cost_usd > 0 and writer.tokens_in > 0

    finished = spans.get_finished_spans()
    (turn,) = [s for s in finished if s.parent is None]
    assert turn.name == "agentroute.turn"
    assert turn.attributes["agentroute.thread"] == "ops-1"
    assert turn.attributes["agentroute.turn.id"] == result.turn_id
    assert turn.attributes["agentroute.outcome"] == "failed"
    assert turn.attributes["agentroute.cost_usd"] == pytest.approx(result.cost_usd)
    assert turn.attributes["gen_ai.usage.input_tokens"] == writer.tokens_in
    assert {s.context.trace_id for s in finished} == {turn.context.trace_id}

    nodes = _children(finished, turn)
    assert {n.attributes["agentroute.node"] for n in nodes} == NODES
    assert [n.name for n in nodes].count("agentroute.plan") == 2  # the replan after the failure
    (gate,) = [n for n in nodes if n.name == "agentroute.gate"]
    checks = {s.attributes["agentroute.target"]: s for s in _children(finished, gate)}
    assert set(checks) == {"misbehaving.echo", "misbehaving.fail", "misbehaving.env_keys", "writer"}
    denied = checks["misbehaving.env_keys"].attributes
    assert denied["agentroute.policy.effect"] == "deny"
    assert denied["agentroute.policy.rule"] == f"{policy}:3"
    assert checks["misbehaving.echo"].attributes["agentroute.policy.effect"] == "allow"

    (dispatch,) = [n for n in nodes if n.name == "agentroute.dispatch"]
    calls = {s.name: s for s in _children(finished, dispatch)}
    assert set(calls) == {
        "agentroute.call misbehaving.echo",
        "agentroute.call misbehaving.fail",
        "agentroute.call writer",
    }  # the denied call was never made
    echo = calls["agentroute.call misbehaving.echo"]
    assert echo.attributes["agentroute.ok"] is True
    assert echo.attributes["agentroute.target.kind"] == "tool"
    assert echo.attributes["agentroute.route.score"] == pytest.approx(1.0)
    failed = calls["agentroute.call misbehaving.fail"]
    assert failed.status.status_code is StatusCode.ERROR
    assert (
        failed.attributes["error.type"] == "target"
        and "reported an error" in failed.status.description
    )
    expert = calls["agentroute.call writer"].attributes
    assert expert["agentroute.target.kind"] == "expert"
    assert expert["agentroute.cost_usd"] == pytest.approx(writer.cost_usd)
    assert expert["gen_ai.usage.output_tokens"] == writer.tokens_out > 0

    assert delta(before, after, "agentroute_turns_total", outcome="failed") == 1
    assert delta(before, after, "agentroute_turn_latency_seconds_count") == 1
    for name in ("misbehaving.echo", "misbehaving.fail", "misbehaving.env_keys"):
        assert delta(before, after, "agentroute_routes_total", kind="tool", target=name) == 1
    assert delta(before, after, "agentroute_routes_total", kind="expert", target="writer") == 1
    rule = f"{policy}:3"
    assert delta(before, after, "agentroute_policy_decisions_total", effect="deny", rule=rule) == 1
    allowed = f"{policy}:1"
    assert (
        delta(before, after, "agentroute_policy_decisions_total", effect="allow", rule=allowed) == 1
    )
    assert (
        delta(before, after, "agentroute_errors_total", kind="target", target="misbehaving.fail")
        == 1
    )
    assert (
        delta(  # a denial is the policy's decision, not an error
            before, after, "agentroute_errors_total", kind="target", target="misbehaving.env_keys"
        )
        == 0
    )
    assert delta(
        before, after, "agentroute_cost_usd_total", kind="expert", target="writer"
    ) == pytest.approx(writer.cost_usd)
    assert (
        delta(
            before,
            after,
            "agentroute_tokens_total",
            kind="expert",
            target="writer",
            direction="out",
        )
        == writer.tokens_out
    )


def test_a_turn_waiting_for_approval_counts_once_when_resumed(spans, policy, tmp_path) -> None:
    planner = ScriptedPlanner(
        [
            Step(id="s1", query="say hi", target="misbehaving.echo", args={"query": "hi"}),
            Step(
                id="s2",
                query="add 2 and 3",
                target="misbehaving.add",
                args={"a": 2, "b": 3},
                depends_on=["s1"],  # a second wave: the ask comes after a call was made
            ),
        ]
    )
    threads = tmp_path / "threads.sqlite"
    before = samples()
    agent = Agent(
        mcp=[_server()], targets=[_writer()], planner=planner, policy=policy, threads=threads
    )
    with agent:
        waiting = agent.run("hi, then add", thread="ops-2")
        assert waiting.pending_approval is not None
        middle = samples()
        done = agent.resume("ops-2", True)
    after = samples()
    assert done.pending_approval is None and all(s.ok for s in done.steps)
    assert delta(before, middle, "agentroute_turns_total", outcome="pending") == 1
    assert (
        delta(before, middle, "agentroute_routes_total", kind="tool", target="misbehaving.echo")
        == 0
    )
    assert (
        delta(before, after, "agentroute_routes_total", kind="tool", target="misbehaving.echo") == 1
    )
    assert delta(before, after, "agentroute_turns_total", outcome="ok") == 1
    rule = f"{policy}:4"
    assert delta(before, after, "agentroute_policy_decisions_total", effect="allow", rule=rule) == 1

    finished = spans.get_finished_spans()
    turns = [s for s in finished if s.name == "agentroute.turn"]
    assert [t.attributes["agentroute.resumed"] for t in turns] == [False, True]
    assert turns[0].attributes["agentroute.outcome"] == "pending"
    asked = [s for s in finished if s.name == "agentroute.policy misbehaving.add"]
    assert asked[0].attributes["agentroute.interrupted"] is True  # waiting, not failing
    assert asked[0].status.status_code is StatusCode.UNSET
    assert asked[-1].attributes["agentroute.policy.effect"] == "allow"


def test_the_metrics_route_serves_the_exposition(spans) -> None:
    client = TestClient(metrics_app())
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    assert "# TYPE agentroute_turns_total counter" in response.text
    assert client.post("/metrics").status_code == 405
