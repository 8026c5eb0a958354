"""What observability costs a turn: CPU per turn with spans and counters off (the default),
counting on, and spans exported over OTLP/gRPC, against the turn with no instrumentation at all.

    python benchmarks/bench_tracing.py        # prints a table, writes benchmarks/results/tracing.json

One process, one agent (a fixed plan of N zero-latency scripted targets, no checkpointer, no
policy, no memory: the framework's own work, where instrumentation weighs the most). Modes:

* ``uninstrumented``: the turn's ``span`` and ``count_turn`` replaced by do-nothing stand-ins
  (here only): the baseline;
* ``off``: as shipped, nothing configured: the OpenTelemetry API's no-op tracer, counting off;
* ``metrics``: Prometheus counting on (one process);
* ``otlp``: the SDK's batching provider exporting over OTLP/gRPC to a collector on loopback (a
  process of its own, so its CPU is not counted here); each block ends with a flush, so the
  export's serialisation is counted in the block that made the spans.
* ``off again``: ``off`` once more, measured as a mode of its own (an A/A pair: how far two
  measurements of the same thing differ here).

The modes are interleaved, block by block, for ``--rounds`` rounds, each round starting with the
next mode and each block after a garbage collection (load on the machine, and the order, fall
on all alike); each block runs ``--turns`` turns and is measured in process CPU time (every
thread: the agent's loop runs in its own). The table gives the median µs of CPU per turn and
the ratio to the baseline's median. The default's cost and counting's are below the blocks'
spread, so they are also given finer: one span's CPU alone times the spans of a turn, and one
``count_turn`` alone, over the turn's CPU.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

import agentroute._agent as agent_module
import agentroute.turn._turn as turn_module
from agentroute import Agent, Plan, PlanningContext, Step
from agentroute.observability import enable_metrics, use_tracer_provider
from agentroute.observability._tracing import span
from agentroute.testing import ScriptedTarget

RESULTS = Path(__file__).parent / "results"
MODES = ("uninstrumented", "off", "metrics", "otlp", "off again")
"""``off again`` is ``off`` a second time: the A/A pair shows what the noise alone moves."""

COLLECTOR = """
import sys, threading
from concurrent import futures
import grpc
from opentelemetry.proto.collector.trace.v1 import trace_service_pb2, trace_service_pb2_grpc
count = 0
lock = threading.Lock()
class Collector(trace_service_pb2_grpc.TraceServiceServicer):
    def Export(self, request, context):
        global count
        with lock:
            count += sum(len(s.spans) for r in request.resource_spans for s in r.scope_spans)
        return trace_service_pb2.ExportTraceServiceResponse()
server = grpc.server(futures.ThreadPoolExecutor(max_workers=1))
trace_service_pb2_grpc.add_TraceServiceServicer_to_server(Collector(), server)
print(server.add_insecure_port("127.0.0.1:0"), flush=True)
server.start()
sys.stdin.read()
print(count, flush=True)
"""
"""An OTLP/gRPC trace receiver that counts spans; prints its port, then the count at EOF."""


class _Fixed:
    name = "fixed"

    def __init__(self, n: int) -> None:
        self.n = n

    async def plan(self, ctx: PlanningContext) -> Plan:
        return Plan(
            steps=[Step(id=f"s{i + 1}", query=f"q{i}", target=f"t{i}") for i in range(self.n)]
        )


@contextlib.contextmanager
def _no_span(name: str, attributes: dict[str, Any] | None = None) -> Iterator[Any]:
    yield _NOT_RECORDING


class _NotRecording:
    def is_recording(self) -> bool:
        return False

    def set_attribute(self, key: str, value: Any) -> None:
        return None


_NOT_RECORDING = _NotRecording()


def _uninstrumented(on: bool) -> None:
    turn_module.span = _no_span if on else span  # type: ignore[assignment]
    agent_module.span = _no_span if on else span  # type: ignore[assignment]
    agent_module.count_turn = (lambda result: None) if on else COUNT_TURN  # type: ignore[assignment]


COUNT_TURN = agent_module.count_turn


def _block(agent: Agent, turns: int, provider: TracerProvider | None) -> float:
    """CPU µs per turn over ``turns`` turns (with the export flushed inside the window)."""
    started = time.process_time()
    for _ in range(turns):
        agent.run("go")
    if provider is not None:
        provider.force_flush()
    return (time.process_time() - started) / turns * 1e6


def turn_cpu(steps: int, rounds: int, turns: int, endpoint: str) -> dict[str, Any]:
    from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

    targets = [ScriptedTarget(f"t{i}", "x") for i in range(steps)]
    agent = Agent(targets=targets, planner=_Fixed(steps), checkpoint=False).start()
    provider = TracerProvider()
    provider.add_span_processor(
        BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint, insecure=True))
    )
    samples: dict[str, list[float]] = {m: [] for m in MODES}
    for _ in range(30):  # warm every path once
        agent.run("go")
    for n in range(rounds):
        for mode in MODES[n % len(MODES) :] + MODES[: n % len(MODES)]:  # each mode first in turn
            gc.collect()  # no block pays for the garbage of the one before
            _uninstrumented(mode == "uninstrumented")
            enable_metrics(mode == "metrics")
            use_tracer_provider(provider if mode == "otlp" else None)
            samples[mode].append(_block(agent, turns, provider if mode == "otlp" else None))
    _uninstrumented(False)
    use_tracer_provider(None)
    provider.shutdown()
    agent.close()
    assert agent.last_result is not None
    enable_metrics(True)
    counting = statistics.median(_count_cost(agent.last_result) for _ in range(5))
    enable_metrics(False)
    base = statistics.median(samples["uninstrumented"])
    return {
        "steps": steps,
        "spans_per_turn": 1
        + 8
        + 2 * steps,  # turn, 8 node runs, a policy check and a call per step
        "uninstrumented_cpu_us_per_turn": base,
        "count_turn_us": counting,
        "modes": {
            m: {"cpu_us_per_turn": statistics.median(v), "ratio": statistics.median(v) / base}
            for m, v in samples.items()
        },
    }


def _count_cost(result: Any, n: int = 2000) -> float:
    """µs of CPU to add one finished turn to the counters (``count_turn``), alone."""
    started = time.process_time()
    for _ in range(n):
        COUNT_TURN(result)
    return (time.process_time() - started) / n * 1e6


def span_cost(n: int = 20000) -> dict[str, float]:
    """µs of CPU for one span entered and left: the no-op tracer, and the SDK's (no exporter)."""

    def per_span() -> float:
        started = time.process_time()
        for _ in range(n):
            with span("agentroute.bench", {"agentroute.step": "s1"}) as current:
                if current.is_recording():
                    current.set_attribute("agentroute.ok", True)
        return (time.process_time() - started) / n * 1e6

    noop = statistics.median(per_span() for _ in range(5))
    use_tracer_provider(TracerProvider())
    sdk = statistics.median(per_span() for _ in range(5))
    use_tracer_provider(None)
    return {"noop_us_per_span": noop, "sdk_us_per_span": sdk}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=12)
    parser.add_argument("--turns", type=int, default=40)
    args = parser.parse_args()
    collector = subprocess.Popen(
        [sys.executable, "-c", COLLECTOR], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert collector.stdout is not None and collector.stdin is not None
    endpoint = f"http://127.0.0.1:{collector.stdout.readline().strip()}"
    try:
        rows = [turn_cpu(steps, args.rounds, args.turns, endpoint) for steps in (1, 8)]
    finally:
        collector.stdin.close()
        exported = int(collector.stdout.readline() or 0)
        collector.wait(timeout=30)
    single = span_cost()
    print(f"\nCPU per turn, median of {args.rounds} interleaved blocks of {args.turns} turns")
    print(f"{'steps':>5} {'spans':>5} " + " ".join(f"{m:>21}" for m in MODES))
    for r in rows:
        cells = [
            f"{r['modes'][m]['cpu_us_per_turn']:>8.0f} µs ({r['modes'][m]['ratio']:.3f}×)"
            for m in MODES
        ]
        print(f"{r['steps']:>5} {r['spans_per_turn']:>5} " + " ".join(f"{c:>21}" for c in cells))
    print(f"spans received by the collector: {exported}")
    print(
        f"\nOne span, entered and left: no-op tracer {single['noop_us_per_span']:.2f} µs CPU, "
        f"SDK tracer (no exporter) {single['sdk_us_per_span']:.2f} µs CPU"
    )
    for r in rows:  # finer than the blocks' spread: spans × one span's cost, counting alone
        base = r["uninstrumented_cpu_us_per_turn"]
        spans_us = r["spans_per_turn"] * single["noop_us_per_span"]
        r["noop_share_estimate"] = spans_us / base
        r["count_share_estimate"] = r["count_turn_us"] / base
        print(
            f"{r['steps']} step(s): {r['spans_per_turn']} no-op spans ≈ {spans_us:.0f} µs = "
            f"{spans_us / base:.2%} of the turn's CPU; counting the turn "
            f"{r['count_turn_us']:.0f} µs = {r['count_turn_us'] / base:.2%}"
        )
    RESULTS.mkdir(exist_ok=True)
    out = {"rounds": args.rounds, "turns": args.turns, "rows": rows, "exported": exported, **single}
    (RESULTS / "tracing.json").write_text(json.dumps(out, indent=2) + "\n")


if __name__ == "__main__":
    main()
