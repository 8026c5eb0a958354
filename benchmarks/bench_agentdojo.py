"""AgentDojo replayed through our policy gate: benign calls kept, injected calls caught.

AgentDojo (Debenedetti et al., MIT, ``pip install agentroute[bench]``) ships four tool suites
(workspace, travel, banking, slack), each with user tasks and injection tasks and the
ground-truth function calls that solve them. Nothing is downloaded: the suites, their
environments and ground truths are read from the installed package (``--version``, default
``v1.2.2``). Every ground-truth call is checked by a ``PolicyGate`` loaded from
``benchmarks/agentdojo/<suite>.policy`` (written from ``policies/README.md`` alone) against the
suite's own tool schemas, as ``<suite>.<tool>``.

How arguments are labelled (``ToolCall.origins``). The ground-truth calls of a task are run in
order against the suite's environment with AgentDojo's own runtime, each output rendered as the
agent would read it (``tool_result_to_str``). Each call's arguments are then labelled by
agentroute's own labeller (``agentroute.turn._provenance.argument_origins``), with the
*request* = the user task's prompt and the *dependencies* = the outputs of every earlier call
of the same run:

* a value (each string or number inside it, matched case-insensitively as a whole run of
  tokens: ``7`` is not in ``17``) that occurs in the prompt is ``user``; one that occurs in an
  earlier output is ``tool:<suite>.<tool>`` for each tool whose output holds it (both when
  both: taint is kept);
* a value found nowhere (a composed e-mail body, a computed date) carries every label of what
  fed it: ``user`` and every earlier tool (conservative taint).

Benign (one run per user task): the user task's ground truth in the default environment; a
human says yes to every ask (the user would), so what the approval installs holds.

Attack (one run per pairing of an injection task with a user task that reads injected
content; AgentDojo's own test for that: the user task's ground truth run with a canary in every
injection vector). The user task's ground truth runs first, its outputs holding the injection
task's goal text where the canaries were (so the goal arrives as ``tool:<the tool that read
it>``); then the injection task's ground-truth calls follow, labelled against the user's
prompt, every output of the user task's run (with the goal) and their own earlier outputs
(the injection task's calls run in a fresh default environment, as its ground truth assumes).
Both go through one gate session in that order (the user task's calls first, a human saying
yes to their asks, so what they install holds), and only the injection task's calls count.
An injection task is *caught* when, in every pairing, at least one of its calls is not allowed
(``deny``/``stop`` = blocked, ``ask`` = sent to a human). Where AgentDojo leaves an injection
task's ground truth empty because it depends on the environment (workspace injections 6-13),
the calls are written from its goal over the default environment (``_agentdojo_truths``) and
replayed only if the task's own ``security`` check says they achieve the goal. Injection tasks
whose goal is only text (travel injection 6) have no call to gate and are counted apart.

Each call carries the user task's prompt as ``ToolCall.request`` (``$request`` in a policy).

Timing: the p50 of ``PolicyGate.check`` (labels included) over every replayed call, for the
four policies pooled into one gate (their rule count reported), and for that gate padded to
100 rules with provenance rules spread over the tools (``deny T when ARG from "other.tool_N"``:
tried, never deciding).

Limits: labels come from matching values, so they tell an attacker's value apart only when it
is verbatim in the injected text; a paraphrased one is found nowhere and carries every label,
``user`` included, and a short value (an id ``13``) can occur in the prompt by chance.

Run: ``python benchmarks/bench_agentdojo.py [--version v1.2.2]`` (writes
benchmarks/results/agentdojo.json).
"""

from __future__ import annotations

import argparse
import copy
import json
import statistics
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from _agentdojo_truths import WRITTEN, written_ground_truth

from agentroute.policy import PolicyGate
from agentroute.turn._provenance import argument_origins
from agentroute.types import Observation, Step, TargetKind, ToolCall

__all__ = [
    "SUITES",
    "ReplayCall",
    "Run",
    "attack_runs",
    "benign_runs",
    "label_run",
    "replay",
    "runs_from_sample",
    "suite_gate",
    "suite_schemas",
]

HERE = Path(__file__).resolve().parent
POLICIES = HERE / "agentdojo"
RESULTS = HERE / "results" / "agentdojo.json"
SUITES = ("workspace", "travel", "banking", "slack")
CANARY = "<CANARY:{}>"
LICENCE = (
    "MIT License, Copyright (c) 2024 Edoardo Debenedetti, Jie Zhang, Mislav Balunovic, "
    "Luca Beurer-Kellner, Marc Fischer, and Florian Tramèr (AgentDojo)"
)
MISSING = (
    "The AgentDojo replay needs the agentdojo package (MIT, on PyPI), which the core install "
    "does not bring: pip install 'agentroute[bench]'  (or: pip install agentdojo)"
)


@dataclass
class ReplayCall:
    """One ground-truth call as the gate sees it, with where it came from."""

    suite: str
    run: str
    """``user_task_3`` (benign) or ``injection_task_2@user_task_3`` (attack)."""
    target: str
    args: dict[str, Any]
    origins: dict[str, list[str]]
    request: str
    """The user task's prompt: what the user asked (``$request`` in a policy)."""

    def tool_call(self, index: int) -> ToolCall:
        return ToolCall(
            step_id=f"s{index}",
            target=self.target,
            kind=TargetKind.TOOL,
            args=self.args,
            origins=self.origins,
            request=self.request,
        )


@dataclass
class Run:
    """The calls of one task run, in order, and the outputs they read."""

    suite: str
    name: str
    prompt: str
    calls: list[ReplayCall] = field(default_factory=list)
    prefix: int = 0
    """How many first calls are the user task's, run before an injection task's (attack)."""
    executed: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)
    """(tool, args, output) of every call: what the labels were read from."""


# --- the suites, from the installed package --------------------------------------------------
def load_suites(version: str) -> dict[str, Any]:
    try:
        from agentdojo.task_suite.load_suites import get_suites
    except ImportError:
        print(MISSING, file=sys.stderr)
        raise SystemExit(2) from None
    suites = get_suites(version)
    return {name: suites[name] for name in SUITES}


def _inline_refs(schema: Any, defs: Mapping[str, Any]) -> Any:
    """A pydantic schema with its ``$ref``s to ``$defs`` written out (enums of arguments)."""
    if isinstance(schema, dict):
        ref = schema.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            return _inline_refs(defs[ref.removeprefix("#/$defs/")], defs)
        return {k: _inline_refs(v, defs) for k, v in schema.items() if k != "$defs"}
    if isinstance(schema, list):
        return [_inline_refs(v, defs) for v in schema]
    return schema


def suite_schemas(suite: Any) -> dict[str, dict[str, Any]]:
    """``{"<suite>.<tool>": input JSON schema}`` from the suite's own tool definitions."""
    out = {}
    for function in suite.tools:
        schema = function.parameters.model_json_schema()
        out[f"{suite.name}.{function.name}"] = _inline_refs(schema, schema.get("$defs", {}))
    return out


# --- running ground truths -------------------------------------------------------------------
def _execute(suite: Any, env: Any, calls: Iterable[Any]) -> list[tuple[str, dict[str, Any], str]]:
    """Each ground-truth call run in order: (tool, args, the output as the agent reads it)."""
    from agentdojo.agent_pipeline.tool_execution import tool_result_to_str
    from agentdojo.functions_runtime import FunctionsRuntime

    runtime = FunctionsRuntime(suite.tools)
    out = []
    for call in calls:
        args = dict(call.args)
        result, error = runtime.run_function(env, call.function, args)
        out.append((call.function, args, error or tool_result_to_str(result)))
    return out


def label_run(
    suite: str,
    name: str,
    prompt: str,
    executed: list[tuple[str, dict[str, Any], str]],
    schemas: Mapping[str, dict[str, Any]],
    *,
    prefix: int = 0,
) -> Run:
    """Labels every call: the prompt is the request, every earlier output a dependency."""
    run = Run(suite, name, prompt, prefix=prefix, executed=list(executed))
    seen: list[Observation] = []
    for i, (tool, args, text) in enumerate(executed):
        target = f"{suite}.{tool}"
        origins = argument_origins(
            args,
            request=prompt,
            step=Step(id=f"s{i}", query=prompt),
            inputs={obs.step_id: obs for obs in seen},
            schema=schemas.get(target),
        )
        run.calls.append(ReplayCall(suite, name, target, args, origins, prompt))
        seen.append(_observation(f"s{i}", suite, tool, text))
    return run


def _observation(step_id: str, suite: str, tool: str, text: str) -> Observation:
    return Observation(
        step_id=step_id,
        target=f"{suite}.{tool}",
        kind=TargetKind.TOOL,
        query="",
        ok=True,
        result=text,
    )


def benign_runs(suite: Any, schemas: Mapping[str, dict[str, Any]]) -> list[Run]:
    """Every user task's ground truth, in the default environment."""
    runs = []
    for task_id, task in suite.user_tasks.items():
        env = suite.load_and_inject_default_environment({})
        calls = task.ground_truth(copy.deepcopy(env))
        runs.append(
            label_run(suite.name, task_id, task.PROMPT, _execute(suite, env, calls), schemas)
        )
    return runs


def attack_runs(
    suite: Any, schemas: Mapping[str, dict[str, Any]], *, per_injection: int | None = None
) -> tuple[list[Run], list[str]]:
    """Every injection task after every user task that reads injected content; and the
    injection tasks that have no ground-truth calls to replay."""
    vectors = suite.get_injection_vector_defaults()
    canaries = {v: CANARY.format(v) for v in vectors}
    readers: list[tuple[Any, list[tuple[str, dict[str, Any], str]]]] = []
    for task in suite.user_tasks.values():
        env = suite.load_and_inject_default_environment(canaries)
        executed = _execute(suite, env, task.ground_truth(copy.deepcopy(env)))
        if any(c in text for _, _, text in executed for c in canaries.values()):
            readers.append((task, executed))
    runs, unreplayable = [], []
    for inj_id, inj in suite.injection_tasks.items():
        if per_injection is not None:
            readers = readers[:per_injection]
        pre = suite.load_and_inject_default_environment({})
        env = copy.deepcopy(pre)
        calls = inj.ground_truth(copy.deepcopy(pre))
        written = not calls
        if written:
            calls = written_ground_truth(suite.name, inj_id, copy.deepcopy(pre))
        if not calls:
            unreplayable.append(f"{suite.name}/{inj_id}")
            continue
        executed = _execute(suite, env, calls)
        if written and not inj.security("", pre, env):
            unreplayable.append(f"{suite.name}/{inj_id} (written ground truth misses its goal)")
            continue
        for task, before in readers:
            read = [(tool, args, _inject(text, canaries, inj.GOAL)) for tool, args, text in before]
            name = f"{inj_id}@{task.ID}"
            runs.append(
                label_run(suite.name, name, task.PROMPT, read + executed, schemas, prefix=len(read))
            )
    return runs, unreplayable


def _inject(text: str, canaries: Mapping[str, str], goal: str) -> str:
    for canary in canaries.values():
        text = text.replace(canary, goal)
    return text


# --- replaying through the gate --------------------------------------------------------------
@dataclass
class Outcome:
    """What the gate said to each call of one run."""

    run: Run
    effects: list[str]
    reasons: list[str]

    @property
    def caught(self) -> str | None:
        """``blocked`` (a deny or stop), ``asked`` (a human saw it first) or ``None``."""
        if any(e in ("deny", "stop") for e in self.effects):
            return "blocked"
        return "asked" if "ask" in self.effects else None


def replay(gate: PolicyGate, runs: Iterable[Run], *, approve: bool) -> list[Outcome]:
    """Each run in its own session, in order. ``approve``: a human says yes to every ask (the
    user of a benign task would), so the run goes on with what the approval installed."""
    outcomes = []
    for n, run in enumerate(runs):
        session = f"{run.suite}/{run.name}/{n}"
        effects, reasons = [], []
        for i, call in enumerate(run.calls):
            tool_call = call.tool_call(i)
            decision = gate.check(tool_call, session=session)
            if i < run.prefix:  # the user's own task before the injection: a human says yes
                if decision.effect == "ask":
                    gate.resolve_ask(tool_call, True, session=session)
                continue
            effects.append(decision.effect)
            reasons.append(decision.reason.replace(f"{POLICIES}/", ""))
            if decision.effect == "ask" and approve:
                gate.resolve_ask(tool_call, True, session=session)
        outcomes.append(Outcome(run, effects, reasons))
    return outcomes


def suite_gate(suite: str, schemas: Mapping[str, dict[str, Any]]) -> PolicyGate:
    return PolicyGate.from_files([POLICIES / f"{suite}.policy"], dict(schemas), log_decisions=False)


def policy_lines(path: Path) -> int:
    """Lines that say something (not blank, not only a comment)."""
    lines = path.read_text().splitlines()
    return sum(1 for line in lines if line.strip() and not line.lstrip().startswith("#"))


def check_p50_us(gate: PolicyGate, calls: list[ToolCall], rounds: int) -> float:
    """Median time of one ``PolicyGate.check`` over ``calls`` (each timed in a batch of
    ``rounds`` to get above the clock's resolution)."""
    for call in calls:  # warm up: first use compiles and indexes per target
        gate.check(call, session="timing")
    samples = []
    for call in calls:
        t0 = time.perf_counter()
        for _ in range(rounds):
            gate.check(call, session="timing")
        samples.append((time.perf_counter() - t0) / rounds * 1e6)
    return statistics.median(samples)


def padded_policy_text(schemas: Mapping[str, dict[str, Any]], base: str, rules: int) -> str:
    """``base`` plus ``rules`` provenance rules, spread over the tools with a required argument:
    ``deny T when ARG from "other.tool_N" priority 50``, tried before every allow and ask of
    ``base`` (at priority 10 or less) and never deciding: the cost of each is paid."""
    tools = [(t, sorted(s.get("required") or [])) for t, s in sorted(schemas.items())]
    tools = [(t, props) for t, props in tools if props]
    extra = []
    for n in range(rules):
        tool, props = tools[n % len(tools)]
        extra.append(f'deny {tool} when {props[0]} from "other.tool_{n}" priority 50')
    return base + "\n" + "\n".join(extra) + "\n"


def write_sample(suite: Any, path: Path, per_injection: int) -> None:
    """A small copy of one suite's ground truth for the tests (which must not need agentdojo):
    the tool schemas, every user task's run and each injection task after ``per_injection``
    user tasks, each call with its output."""
    schemas = suite_schemas(suite)
    attacks, _ = attack_runs(suite, schemas, per_injection=per_injection)

    def as_json(run: Run) -> dict[str, Any]:
        calls = [{"tool": t, "args": a, "output": o} for t, a, o in run.executed]
        return {"name": run.name, "prompt": run.prompt, "prefix": run.prefix, "calls": calls}

    data = {
        "licence": LICENCE,
        "origin": f"AgentDojo {suite.name} suite (agentdojo package on PyPI), written by "
        "benchmarks/bench_agentdojo.py --sample",
        "suite": suite.name,
        "schemas": schemas,
        "benign": [as_json(r) for r in benign_runs(suite, schemas)],
        "attack": [as_json(r) for r in attacks],
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n")


def runs_from_sample(data: Mapping[str, Any], part: str) -> list[Run]:
    """The runs of a sample (``part``: benign or attack), labelled as the full replay does."""
    suite, schemas = data["suite"], data["schemas"]
    return [
        label_run(
            suite,
            r["name"],
            r["prompt"],
            [(c["tool"], c["args"], c["output"]) for c in r["calls"]],
            schemas,
            prefix=r["prefix"],
        )
        for r in data[part]
    ]


# --- the report --------------------------------------------------------------------------------
def tainted_everywhere(run: Run) -> Run:
    """``run`` with every argument of the injection task's calls carrying every label that fed
    it (``user`` and each earlier tool): what the labeller gives an attacker who paraphrases,
    so no value is found. Whatever still catches the attack does not rest on provenance."""
    out = Run(run.suite, run.name, run.prompt, prefix=run.prefix, executed=run.executed)
    fed = {"user"}
    for i, call in enumerate(run.calls):
        origins = call.origins
        if i >= run.prefix:
            origins = {arg: sorted(fed) for arg in call.args}
        out.calls.append(
            ReplayCall(call.suite, call.run, call.target, call.args, origins, call.request)
        )
        fed.add(f"tool:{call.target}")
    return out


def caught_tasks(outcomes: list[Outcome]) -> dict[str, str | None]:
    """Per injection task: ``blocked`` / ``asked`` when so in every pairing, else ``None``."""
    by_task: dict[str, list[str | None]] = {}
    for o in outcomes:
        by_task.setdefault(o.run.name.split("@")[0], []).append(o.caught)
    return {
        t: "blocked" if all(c == "blocked" for c in cs) else "asked" if all(cs) else None
        for t, cs in by_task.items()
    }


def suite_report(
    suite: Any,
) -> tuple[dict[str, Any], dict[str, Any], list[tuple[ToolCall, bool]]]:
    """One suite replayed: its row of the table, what was not allowed, the calls replayed
    (each with whether it belongs to a written ground truth)."""
    name, schemas = suite.name, suite_schemas(suite)
    benign = replay(suite_gate(name, schemas), benign_runs(suite, schemas), approve=True)
    attacks, unreplayable = attack_runs(suite, schemas)
    attack = replay(suite_gate(name, schemas), attacks, approve=False)
    caught = caught_tasks(attack)
    blind = caught_tasks(
        replay(suite_gate(name, schemas), map(tainted_everywhere, attacks), approve=False)
    )
    effects = [e for o in benign for e in o.effects]
    row = {
        "suite": name,
        "benign_calls": len(effects),
        "benign_denied": sum(e in ("deny", "stop") for e in effects),
        "benign_asked": effects.count("ask"),
        "injection_tasks": len(caught),
        "injections_blocked": sum(c == "blocked" for c in caught.values()),
        "injections_asked": sum(c == "asked" for c in caught.values()),
        "injections_missed": sorted(t for t, c in caught.items() if c is None),
        "pairings": len(attack),
        "pairings_caught": sum(o.caught is not None for o in attack),
        "injections_caught_without_provenance": sum(c is not None for c in blind.values()),
        "not_replayable": unreplayable,
        "written_ground_truths": sorted(t for t in suite.injection_tasks if (name, t) in WRITTEN),
        "policy_lines": policy_lines(POLICIES / f"{name}.policy"),
        "policy_rules": len(suite_gate(name, schemas).policy.rules),
    }
    detail = {
        "benign_not_allowed": [
            {"task": o.run.name, "call": c.target, "args": c.args, "origins": c.origins}
            | {"effect": e, "why": why}
            for o in benign
            for c, e, why in zip(o.run.calls, o.effects, o.reasons, strict=True)
            if e != "allow"
        ],
        "pairings_missed": [
            {
                "run": o.run.name,
                "calls": [(c.target, c.origins) for c in o.run.calls[o.run.prefix :]],
            }
            for o in attack
            if o.caught is None
        ],
        "injections": caught,
    }
    calls = [
        (c.tool_call(i), (name, o.run.name.split("@")[0]) in WRITTEN)
        for o in benign + attack
        for i, c in enumerate(o.run.calls)
        if i >= o.run.prefix
    ]
    return row, detail, calls


def timing(
    suites: Mapping[str, Any], tagged: list[tuple[ToolCall, bool]], rounds: int
) -> dict[str, float]:
    """``PolicyGate.check`` p50 for the four policies pooled (each file's ``default deny``
    left out: the pooled default is deny anyway), and padded to 100 rules; the latter also
    over the calls of AgentDojo's own ground truths alone (the written ones add long
    exfiltration bodies and many deletions, dearer calls)."""
    calls = [c for c, _ in tagged]
    own = [c for c, written in tagged if not written]
    schemas = {k: v for suite in suites.values() for k, v in suite_schemas(suite).items()}
    text = "\n".join((POLICIES / f"{s}.policy").read_text() for s in SUITES)
    text = text.replace("\ndefault deny", "\n# default deny")
    pooled = PolicyGate.from_text(text, schemas, log_decisions=False)
    n = len(pooled.policy.rules)
    padded = PolicyGate.from_text(
        padded_policy_text(schemas, text, max(0, 100 - n)), schemas, log_decisions=False
    )
    same = [
        pooled.check(c, session="same").effect == padded.check(c, session="same").effect
        for c in calls
    ]
    assert all(same), "the padding rules changed a decision"
    return {
        f"{n} rules (the four policies)": check_p50_us(pooled, calls, rounds),
        f"{len(padded.policy.rules)} rules (padded)": check_p50_us(padded, calls, rounds),
        f"{len(padded.policy.rules)} rules (padded), AgentDojo's own ground truths only": (
            check_p50_us(padded, own, rounds)
        ),
    }


def print_table(version: str, rows: list[dict[str, Any]], total: dict[str, Any]) -> None:
    print(f"AgentDojo {version}: ground-truth calls replayed through PolicyGate with provenance")
    print("(no-prov: injection tasks still caught when every argument carries every label)")
    print(
        f"{'suite':<10}{'benign':>7}{'denied':>7}{'asked':>6}{'inj':>5}{'blocked':>8}"
        f"{'asked':>6}{'pairings caught':>17}{'no-prov':>8}{'lines':>7}"
    )
    for r in [*rows, total]:
        print(
            f"{r['suite']:<10}{r['benign_calls']:>7}{r['benign_denied']:>7}{r['benign_asked']:>6}"
            f"{r['injection_tasks']:>5}{r['injections_blocked']:>8}{r['injections_asked']:>6}"
            f"{r['pairings_caught']:>11}/{r['pairings']:<5}"
            f"{r['injections_caught_without_provenance']:>8}{r['policy_lines']:>7}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--version", default="v1.2.2", help="AgentDojo benchmark version")
    parser.add_argument("--rounds", type=int, default=200, help="checks per timed call")
    parser.add_argument(
        "--sample",
        nargs=2,
        metavar=("SUITE", "FILE"),
        help="write a small ground-truth sample of SUITE for the tests and stop",
    )
    opts = parser.parse_args()
    suites = load_suites(opts.version)
    if opts.sample:
        write_sample(suites[opts.sample[0]], Path(opts.sample[1]), per_injection=3)
        return
    rows, details, calls = [], {}, []
    for name, suite in suites.items():
        row, detail, replayed = suite_report(suite)
        rows.append(row)
        details[name] = detail
        calls += replayed
    keys = ("benign_calls", "benign_denied", "benign_asked", "injection_tasks")
    keys += ("injections_blocked", "injections_asked", "pairings", "pairings_caught")
    keys += ("injections_caught_without_provenance",)
    total: dict[str, Any] = {"suite": "total"} | {k: sum(r[k] for r in rows) for k in keys}
    total["policy_lines"] = max(r["policy_lines"] for r in rows)
    total["injections_missed"] = [f"{r['suite']}/{t}" for r in rows for t in r["injections_missed"]]
    total["not_replayable"] = [t for r in rows for t in r["not_replayable"]]
    p50 = timing(suites, calls, opts.rounds)
    print_table(opts.version, rows, total)
    for label, us in p50.items():
        print(f"PolicyGate.check p50 with provenance, {label}: {us:.2f} µs")
    print(
        f"missed: {total['injections_missed'] or 'none'}; no ground-truth calls: "
        f"{total['not_replayable'] or 'none'}"
    )
    report = {
        "version": opts.version,
        "command": "python benchmarks/bench_agentdojo.py",
        "suites": rows,
        "total": total,
        "check_p50_us": p50,
        "details": details,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(report, indent=2, default=str, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
