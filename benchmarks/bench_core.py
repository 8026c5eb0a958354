"""Core benchmarks: framework overhead per routed step, parallel dispatch, chat start-up.

    python benchmarks/bench_core.py            # prints a table, writes benchmarks/results/core.json

Each figure is measured against its baseline in the same run:
* overhead per routed step: an agentroute turn (scripted planner, zero-latency targets, no
  checkpointer, no policy, no memory) vs a bare LangGraph graph making the same calls the
  idiomatic way (a plan node, one ``Send`` per call, an aggregate node);
* parallel dispatch: 32 independent 50 ms steps through ``Agent.run`` and ``Agent.arun`` vs the
  bare LangGraph ``Send`` fan-out under ``invoke`` (thread pool) and ``ainvoke``;
* chat: seconds from launching ``agentroute chat`` to the prompt, and resident memory of the
  idle process after one routed turn (embedder loaded, MCP servers up).
"""

from __future__ import annotations

import asyncio
import json
import operator
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Send

from agentroute import Agent, Plan, PlanningContext, Step
from agentroute.testing import ScriptedTarget

RESULTS = Path(__file__).parent / "results"


class _Fixed:
    name = "fixed"

    def __init__(self, n: int, target: str = "t") -> None:
        self.n, self.target = n, target

    async def plan(self, ctx: PlanningContext) -> Plan:
        return Plan(
            steps=[
                Step(id=f"s{i + 1}", query=f"q{i}", target=f"{self.target}{i}")
                for i in range(self.n)
            ]
        )


class _Bare(TypedDict, total=False):
    request: str
    results: Annotated[list[str], operator.add]
    answer: str


def bare_graph(targets: list[ScriptedTarget]) -> Any:
    """The same calls, the plain LangGraph way: plan → Send per call → aggregate."""

    async def plan(state: _Bare) -> dict[str, Any]:
        return {}

    async def fan_out(state: _Bare) -> list[Send]:
        return [Send("call", {"request": f"q{i}", "i": i}) for i in range(len(targets))]

    async def call(arg: dict[str, Any]) -> dict[str, Any]:
        obs = await targets[arg["i"]].invoke(f"s{arg['i']}", arg["request"], None, timeout=30)
        return {"results": [obs.result]}

    async def answer(state: _Bare) -> dict[str, Any]:
        return {"answer": "\n".join(state.get("results", []))}

    g = StateGraph(_Bare)
    g.add_node("plan", plan)
    g.add_node("call", call)  # type: ignore[arg-type]
    g.add_node("answer", answer)
    g.add_edge(START, "plan")
    g.add_conditional_edges("plan", fan_out, ["call"])
    g.add_edge("call", "answer")
    g.add_edge("answer", END)
    return g.compile()


def _median_us(samples: list[float]) -> float:
    return statistics.median(samples) * 1e6


def overhead(n_steps: int, repeats: int = 200) -> dict[str, float]:
    targets = [ScriptedTarget(f"t{i}", "x") for i in range(n_steps)]
    bare = bare_graph(targets)
    agent = Agent(targets=targets, planner=_Fixed(n_steps), checkpoint=False).start()

    async def bare_turn() -> None:
        await bare.ainvoke({"request": "go"})

    def time_bare() -> float:
        async def many() -> list[float]:
            out = []
            for _ in range(repeats):
                t = time.perf_counter()
                await bare_turn()
                out.append(time.perf_counter() - t)
            return out

        return _median_us(asyncio.run(many()))

    def time_agent() -> float:
        async def many() -> list[float]:
            out = []
            for _ in range(repeats):
                t = time.perf_counter()
                await agent.arun("go")
                out.append(time.perf_counter() - t)
            return out

        return _median_us(agent._loop.run(many()))

    for _ in range(20):  # warm both
        asyncio.run(bare_turn())
        agent.run("go")
    bare_us, agent_us = time_bare(), time_agent()
    agent.close()
    return {
        "steps": n_steps,
        "bare_us_per_turn": bare_us,
        "agentroute_us_per_turn": agent_us,
        "bare_us_per_step": bare_us / n_steps,
        "agentroute_us_per_step": agent_us / n_steps,
        "ratio": agent_us / bare_us,
    }


def parallel(n: int = 32, delay: float = 0.05, repeats: int = 5) -> dict[str, float]:
    targets = [ScriptedTarget(f"t{i}", "x", delay_s=delay) for i in range(n)]
    bare = bare_graph(targets)
    agent = Agent(targets=targets, planner=_Fixed(n), checkpoint=False).start()

    def med(fn: Any) -> float:
        runs = []
        for _ in range(repeats):
            t = time.perf_counter()
            fn()
            runs.append(time.perf_counter() - t)
        return statistics.median(runs) * 1000

    async def arun_agent() -> None:
        await agent.arun("go")

    out = {
        "agentroute_run_ms": med(lambda: agent.run("go")),
        "agentroute_arun_ms": med(lambda: asyncio.run(arun_agent())),
        "bare_langgraph_ainvoke_ms": med(lambda: asyncio.run(bare.ainvoke({"request": "go"}))),
    }
    agent.close()
    return out


def chat_startup(data_dir: Path) -> dict[str, float]:
    """Launch ``agentroute chat``, time the prompt, ask one question, read idle RSS."""
    env = {**os.environ, "AGENTROUTE_LOG": "error"}
    cmd = [sys.executable, "-m", "agentroute.cli._main", "chat", "--data-dir", str(data_dir)]
    started = time.perf_counter()
    proc = subprocess.Popen(
        cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, cwd=data_dir
    )
    assert proc.stdout is not None and proc.stdin is not None
    first = proc.stdout.readline()
    ready_s = time.perf_counter() - started
    proc.stdin.write("What is 17 * 23?\n")
    proc.stdin.flush()
    for line in proc.stdout:
        if line.lstrip().startswith(("- ", "—")) or "391" in line:
            break
    time.sleep(2.0)
    rss_kb = 0
    for row in Path(f"/proc/{proc.pid}/status").read_text().splitlines():
        if row.startswith("VmRSS:"):
            rss_kb = int(row.split()[1])
    proc.stdin.write("/quit\n")
    proc.stdin.flush()
    proc.wait(timeout=30)
    return {"prompt_after_s": ready_s, "idle_rss_mb": rss_kb / 1024, "banner": first.strip()[:40]}


def main() -> None:
    RESULTS.mkdir(exist_ok=True)
    rows = [overhead(n) for n in (1, 4, 16, 32)]
    par = parallel()
    with tempfile.TemporaryDirectory() as tmp:
        chat = chat_startup(Path(tmp))
    print("\nFramework overhead (zero-latency targets; medians)")
    print(
        f"{'steps':>5} {'bare µs/turn':>13} {'ours µs/turn':>13} {'bare µs/step':>13} "
        f"{'ours µs/step':>13} {'ratio':>6}  target ≤ 1.5×"
    )
    for r in rows:
        print(
            f"{r['steps']:>5} {r['bare_us_per_turn']:>13.0f} {r['agentroute_us_per_turn']:>13.0f} "
            f"{r['bare_us_per_step']:>13.0f} {r['agentroute_us_per_step']:>13.0f} "
            f"{r['ratio']:>5.2f}×"
        )
    print("\nParallel dispatch: 32 independent steps of 50 ms (target ≤ 60 ms)")
    for k, v in par.items():
        print(f"  {k:<28} {v:7.1f} ms")
    print("\nChat (targets: prompt ≤ 3 s, idle RSS < 400 MB)")
    print(f"  prompt after {chat['prompt_after_s']:.2f} s; idle RSS {chat['idle_rss_mb']:.0f} MB")
    (RESULTS / "core.json").write_text(
        json.dumps({"overhead": rows, "parallel": par, "chat": chat}, indent=2)
    )


if __name__ == "__main__":
    main()
