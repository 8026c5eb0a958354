"""Policy check latency: agentroute's compiled engine vs Progent's method, same run.

For 10, 100 and 1,000-rule policies over a synthetic tool suite (rules spread over the tools,
every rule expressible both in the DSL and as per-argument JSON Schemas), measures per decision:

* ``agentroute decide``  — ``Policy.decide`` (compiled closures, rules indexed per tool);
* ``agentroute check``   — ``PolicyGate.check`` (adds ToolCall → PolicyDecision record);
* ``reference``          — Progent's method: one ``jsonschema.validate`` per condition;
* ``prebuilt jsonschema`` — the same with validators built once (``Draft7Validator.is_valid``).

All four must reach the same decisions (checked). Also times loading + validating each policy.
Run: ``python benchmarks/bench_policy.py`` (writes benchmarks/results/policy.json).
"""

from __future__ import annotations

import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

import jsonschema

from agentroute.policy import Policy, PolicyGate
from agentroute.types import TargetKind, ToolCall

RESULTS = Path(__file__).resolve().parent / "results" / "policy.json"
SIZES = (10, 100, 1000)
EFFECT_RANK = {"deny": 0, "allow": 1}


def tool_suite(n_tools: int) -> dict[str, dict[str, Any]]:
    schema = {
        "type": "object",
        "properties": {
            "recipient": {"type": "string"},
            "amount": {"type": "number"},
            "path": {"type": "string"},
        },
        "required": ["recipient", "amount", "path"],
    }
    return {f"srv{t % 4}.tool_{t}": schema for t in range(n_tools)}


def make_rules(n: int, tools: list[str], rng: random.Random) -> list[dict[str, Any]]:
    rules = []
    for i in range(n):
        tool = tools[i % len(tools)]
        effect = "deny" if i % 4 == 0 else "allow"
        conds: list[tuple[str, str, Any]] = []
        kind = rng.randrange(4)
        if kind == 0:
            conds.append(("recipient", "in", [f"user{rng.randrange(50)}@x.com" for _ in range(3)]))
        elif kind == 1:
            conds.append(("path", "startswith", f"/data/{rng.randrange(10)}/"))
        elif kind == 2:
            conds.append(("path", "matches", f"/srv/{rng.randrange(10)}/[a-z]+\\.txt"))
        else:
            conds.append(("recipient", "in", [f"user{rng.randrange(50)}@x.com"]))
        conds.append(("amount", "<=", rng.randrange(10, 1000)))
        rules.append({"tool": tool, "effect": effect, "priority": rng.randrange(3), "conds": conds})
    return rules


def dsl(rules: list[dict[str, Any]]) -> str:
    lines = []
    for r in rules:
        parts = []
        for arg, op, v in r["conds"]:
            value = json.dumps(v) if op != "matches" else f'r"{v}"'
            parts.append(f"{arg} {op} {value}")
        lines.append(
            f"{r['effect']} {r['tool']} when {' and '.join(parts)} priority {r['priority']}"
        )
    return "\n".join(lines) + "\n"


def json_schema(op: str, v: Any) -> dict[str, Any]:
    if op == "in":
        return {"type": "string", "enum": v}
    if op == "startswith":
        return {"type": "string", "pattern": "^" + v.replace(".", "\\.")}
    if op == "matches":
        return {"type": "string", "pattern": f"^(?:{v})$"}
    return {"type": "number", "maximum": v}


def reference_tables(
    rules: list[dict[str, Any]],
) -> dict[str, list[tuple[str, list[tuple[str, Any, Any]]]]]:
    """Progent's layout: {tool: [(effect, [(arg, schema, prebuilt validator)])]}, sorted."""
    table: dict[str, list[tuple[int, int, int, str, list[tuple[str, Any, Any]]]]] = {}
    for order, r in enumerate(rules):
        conds = []
        for arg, op, v in r["conds"]:
            schema = json_schema(op, v)
            conds.append((arg, schema, jsonschema.Draft7Validator(schema)))
        table.setdefault(r["tool"], []).append(
            (-r["priority"], EFFECT_RANK[r["effect"]], order, r["effect"], conds)
        )
    return {t: [(e, c) for *_, e, c in sorted(v, key=lambda x: x[:3])] for t, v in table.items()}


def reference_decide(table: dict[str, Any], tool: str, args: dict[str, Any]) -> str:
    for effect, conds in table.get(tool, ()):
        try:
            for arg, schema, _ in conds:
                jsonschema.validate(instance=args[arg], schema=schema)
        except jsonschema.ValidationError:
            continue
        return effect
    return "deny"


def prebuilt_decide(table: dict[str, Any], tool: str, args: dict[str, Any]) -> str:
    for effect, conds in table.get(tool, ()):
        if all(v.is_valid(args[arg]) for arg, _, v in conds):
            return effect
    return "deny"


def queries(tools: list[str], n: int, rng: random.Random) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for _ in range(n):
        path = rng.choice(
            [f"/data/{rng.randrange(10)}/f.txt", f"/srv/{rng.randrange(10)}/abc.txt", "/etc/passwd"]
        )
        out.append(
            (
                rng.choice(tools),
                {
                    "recipient": f"user{rng.randrange(60)}@x.com",
                    "amount": rng.randrange(0, 1200),
                    "path": path,
                },
            )
        )
    return out


def timed(fn: Any, calls: list[Any]) -> tuple[list[str], list[float], float]:
    """Results, wall time per call (µs), and mean CPU time per call (µs; robust to load)."""
    results, times = [], []
    clock = time.perf_counter_ns
    cpu0 = time.process_time()
    for tool, args in calls:
        t0 = clock()
        r = fn(tool, args)
        times.append((clock() - t0) / 1000)
        results.append(r)
    return results, times, (time.process_time() - cpu0) / len(calls) * 1e6


def summary(times: list[float], cpu_mean: float) -> dict[str, float]:
    q = statistics.quantiles(times, n=100)
    return {
        "p50_us": statistics.median(times),
        "p99_us": q[98],
        "checks_per_s": 1e6 / statistics.fmean(times),
        "cpu_mean_us": cpu_mean,
    }


def main() -> None:
    rng = random.Random(7)
    report: dict[str, Any] = {"sizes": {}}
    rows = []
    for n in SIZES:
        schemas = tool_suite(min(20, n))
        tools = list(schemas)
        rules = make_rules(n, tools, rng)
        text = dsl(rules)
        t0, c0 = time.perf_counter(), time.process_time()
        policy = Policy.from_text(text, schemas, file=f"bench{n}.policy")
        load_s, load_cpu_s = time.perf_counter() - t0, time.process_time() - c0
        gate = PolicyGate(policy, log_decisions=False)
        table = reference_tables(rules)
        calls = queries(tools, 20000, rng)
        ref_calls = calls[: {10: 3000, 100: 1000, 1000: 300}.get(n, 300)]

        for tool, args in calls[:500]:  # warm caches
            policy.decide(tool, args)
        ours, t_ours, c_ours = timed(
            lambda tool, args, p=policy: p.decide(tool, args).effect, calls
        )
        tc = [
            (ToolCall(step_id="s", target=tool, kind=TargetKind.TOOL, args=args), None)
            for tool, args in calls
        ]
        clock = time.perf_counter_ns
        t_check = []
        cpu0 = time.process_time()
        for call, _ in tc:
            t1 = clock()
            gate.check(call, session="bench")
            t_check.append((clock() - t1) / 1000)
        c_check = (time.process_time() - cpu0) / len(tc) * 1e6
        ref, t_ref, c_ref = timed(
            lambda tool, args, t=table: reference_decide(t, tool, args), ref_calls
        )
        pre, t_pre, c_pre = timed(lambda tool, args, t=table: prebuilt_decide(t, tool, args), calls)
        assert ours[: len(ref)] == ref, "agentroute and the reference disagree"
        assert ours == pre, "agentroute and the prebuilt validators disagree"
        allowed = sum(1 for e in ours if e == "allow") / len(ours)
        entry = {
            "rules": n,
            "tools": len(tools),
            "rules_per_tool": n / len(tools),
            "load_and_validate_s": load_s,
            "load_and_validate_cpu_s": load_cpu_s,
            "allowed_fraction": allowed,
            "agentroute_decide": summary(t_ours, c_ours),
            "agentroute_check": summary(t_check, c_check),
            "reference_jsonschema_validate": summary(t_ref, c_ref),
            "prebuilt_jsonschema_validators": summary(t_pre, c_pre),
        }
        report["sizes"][str(n)] = entry
        for name in (
            "agentroute_decide",
            "agentroute_check",
            "prebuilt_jsonschema_validators",
            "reference_jsonschema_validate",
        ):
            s = entry[name]
            rows.append(
                (
                    n,
                    name,
                    s["cpu_mean_us"],
                    s["p50_us"],
                    s["p99_us"],
                    s["checks_per_s"],
                    (load_s, load_cpu_s) if name == "agentroute_decide" else None,
                )
            )

    print(
        f"{'rules':>6}  {'method':<32} {'cpu µs':>9} {'p50 µs':>9} {'p99 µs':>9}"
        f" {'checks/s':>11} {'load s wall/cpu':>16}"
    )
    for n, name, cpu, p50, p99, cps, load in rows:
        load_txt = f"{load[0]:7.3f}/{load[1]:.3f}" if load is not None else ""
        print(f"{n:>6}  {name:<32} {cpu:9.2f} {p50:9.2f} {p99:9.2f} {cps:11.0f} {load_txt:>16}")
    print("cpu µs = mean CPU time per decision (robust to other load); p50/p99 = wall clock")
    s100, s1000 = report["sizes"]["100"], report["sizes"]["1000"]
    report["targets"] = {
        "p50_at_100_rules_us<=7": s100["agentroute_decide"]["p50_us"] <= 7,
        "p50_at_1000_rules_us<=30": s1000["agentroute_decide"]["p50_us"] <= 30,
        "cpu_mean_at_100_rules_us<=7": s100["agentroute_decide"]["cpu_mean_us"] <= 7,
        "cpu_mean_at_1000_rules_us<=30": s1000["agentroute_decide"]["cpu_mean_us"] <= 30,
        "load_1000_rules_s<=1 (wall)": s1000["load_and_validate_s"] <= 1,
        "load_1000_rules_s<=1 (cpu)": s1000["load_and_validate_cpu_s"] <= 1,
    }
    print("targets:", report["targets"])
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
