"""MCP client overhead, throughput and crash recovery, measured against a bare session.

Run: ``python benchmarks/bench_mcp.py [--calls N]``. Writes ``benchmarks/results/mcp.json``.

* latency: ``McpToolTarget.invoke`` vs a bare kept-open ``mcp.ClientSession.call_tool`` on the
  same server process in the same run, interleaved in batches (target: ratio ≤ 1.2);
* throughput: N concurrent calls to one server, and spread over two servers;
* recovery: time from ``kill -9`` of the server until a call succeeds again (target ≤ 2 s),
  beside the cold start time of the same server (the floor for a restart).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import statistics
import sys
import time
from pathlib import Path

import structlog

from agentroute.mcp import McpHub, McpServerSpec

RESULTS = Path(__file__).parent / "results" / "mcp.json"
QUERY = "What is 17 * 23"


def calc_spec(name: str = "calc", **fields: object) -> McpServerSpec:
    return McpServerSpec(
        name=name, command=sys.executable, args=["-m", "agentroute_tools.calc"], **fields
    )  # type: ignore[arg-type]


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def latency(calls: int) -> dict[str, float]:
    hub = McpHub([calc_spec()])
    await hub.start()
    try:
        target = hub.targets()[0]
        session = hub.servers["calc"]._session  # the very session the target uses
        assert session is not None
        ours: list[float] = []
        bare: list[float] = []
        for _ in range(20):  # warm up both paths
            await session.call_tool("calculate", {"query": QUERY})
            await target.invoke("w", QUERY, None, timeout=10)
        batch = 25
        for _ in range(max(1, calls // batch)):
            for _ in range(batch):
                t = time.perf_counter()
                await session.call_tool("calculate", {"query": QUERY})
                bare.append(time.perf_counter() - t)
            for _ in range(batch):
                t = time.perf_counter()
                obs = await target.invoke("s", QUERY, None, timeout=10)
                ours.append(time.perf_counter() - t)
                assert obs.ok
        return {
            "bare_p50_ms": statistics.median(bare) * 1e3,
            "bare_p90_ms": pct(bare, 0.9) * 1e3,
            "invoke_p50_ms": statistics.median(ours) * 1e3,
            "invoke_p90_ms": pct(ours, 0.9) * 1e3,
            "ratio_p50": statistics.median(ours) / statistics.median(bare),
            "calls": len(ours),
        }
    finally:
        await hub.aclose()


async def throughput(parallel: int) -> dict[str, float]:
    hub = McpHub(
        [
            calc_spec("calc"),
            McpServerSpec(
                name="units", command=sys.executable, args=["-m", "agentroute_tools.units"]
            ),
        ]
    )
    await hub.start()
    try:
        targets = {t.name: t for t in hub.targets()}
        calc, units = targets["calc.calculate"], targets["units.convert"]
        for _ in range(10):
            await calc.invoke("w", QUERY, None, timeout=10)
            await units.invoke("w", "5 miles in km", None, timeout=10)

        async def run(spread: bool) -> float:
            t = time.perf_counter()
            obs = await asyncio.gather(
                *(
                    (
                        units.invoke(f"p{i}", "5 miles in km", None, timeout=30)
                        if spread and i % 2
                        else calc.invoke(f"p{i}", QUERY, None, timeout=30)
                    )
                    for i in range(parallel)
                )
            )
            assert all(o.ok for o in obs)
            return parallel / (time.perf_counter() - t)

        one = statistics.median([await run(False) for _ in range(5)])
        two = statistics.median([await run(True) for _ in range(5)])
        t = time.perf_counter()
        for _ in range(parallel):
            await calc.invoke("s", QUERY, None, timeout=10)
        sequential = parallel / (time.perf_counter() - t)
        return {
            "parallel": parallel,
            "sequential_calls_per_s": sequential,
            "one_server_calls_per_s": one,
            "two_servers_calls_per_s": two,
        }
    finally:
        await hub.aclose()


async def recovery(rounds: int, warm_spare: bool) -> dict[str, float]:
    cold: list[float] = []
    for _ in range(rounds):
        t = time.perf_counter()
        hub = McpHub([calc_spec()])
        await hub.start()
        cold.append(time.perf_counter() - t)
        await hub.aclose()
    hub = McpHub([calc_spec(warm_spare=warm_spare, breaker_threshold=1000)])
    await hub.start()
    recovered: list[float] = []
    try:
        target = hub.targets()[0]
        server = hub.servers["calc"]
        for _ in range(rounds):
            # A spare helps once it has finished importing; crashes are rare, so wait that out.
            await asyncio.sleep(max(1.0, 1.5 * statistics.median(cold)) if warm_spare else 0.2)
            pid = server.pid
            assert pid is not None
            t = time.perf_counter()
            os.kill(pid, signal.SIGKILL)
            while True:
                obs = await target.invoke("r", QUERY, None, timeout=10)
                if obs.ok:
                    break
            recovered.append(time.perf_counter() - t)
    finally:
        await hub.aclose()
    return {
        "warm_spare": warm_spare,
        "cold_start_p50_s": statistics.median(cold),
        "recovery_p50_s": statistics.median(recovered),
        "recovery_max_s": max(recovered),
        "rounds": rounds,
    }


async def main(calls: int, parallel: int, rounds: int) -> dict[str, object]:
    return {
        "latency": await latency(calls),
        "throughput": await throughput(parallel),
        "recovery": await recovery(rounds, warm_spare=False),
        "recovery_warm_spare": await recovery(rounds, warm_spare=True),
        "cpus": os.cpu_count(),
        "load_avg_1m": os.getloadavg()[0],
    }


def report(results: dict[str, object]) -> None:
    lat = results["latency"]
    thr = results["throughput"]
    assert isinstance(lat, dict) and isinstance(thr, dict)
    rows = [
        ("bare ClientSession.call_tool p50", f"{lat['bare_p50_ms']:.3f} ms", "baseline"),
        ("McpToolTarget.invoke p50", f"{lat['invoke_p50_ms']:.3f} ms", ""),
        ("invoke / bare (p50)", f"{lat['ratio_p50']:.2f}x", "target <= 1.2x"),
        ("bare / invoke p90", f"{lat['bare_p90_ms']:.3f} / {lat['invoke_p90_ms']:.3f} ms", ""),
        ("sequential", f"{thr['sequential_calls_per_s']:.0f} calls/s", "baseline"),
        (
            f"{thr['parallel']} parallel, one server",
            f"{thr['one_server_calls_per_s']:.0f} calls/s",
            "",
        ),
        (
            f"{thr['parallel']} parallel, two servers",
            f"{thr['two_servers_calls_per_s']:.0f} calls/s",
            "",
        ),
    ]
    for key in ("recovery", "recovery_warm_spare"):
        rec = results[key]
        assert isinstance(rec, dict)
        label = "warm spare" if rec["warm_spare"] else "plain"
        rows.append((f"cold start ({label} run)", f"{rec['cold_start_p50_s']:.2f} s", "floor"))
        rows.append(
            (
                f"kill -9 -> next ok call ({label})",
                f"{rec['recovery_p50_s']:.2f} s (max {rec['recovery_max_s']:.2f})",
                "target <= 2 s",
            )
        )
    width = max(len(r[0]) for r in rows)
    print(f"\nMCP benchmark (cpus={results['cpus']}, load={results['load_avg_1m']:.1f})")
    for name, value, note in rows:
        print(f"  {name:<{width}}  {value:>26}  {note}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("--parallel", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.ERROR))
    results = asyncio.run(main(args.calls, args.parallel, args.rounds))
    report(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {RESULTS}")
