"""One turn as a LangGraph state graph: the whole data flow, readable top to bottom.

    recall ─► plan ─► route ─► gate ─► dispatch ─► observe ─┬─► route   (next wave of the DAG)
                ▲                                            ├─► plan    (replan, bounded)
                └────────────────────────────────────────────┘
                                                             └─► answer ─► remember ─► END

Each node is a top-level function of ``TurnState`` and LangGraph's ``Runtime[TurnContext]``:
live objects (targets, planner, gate, memory) come from the context each run is given,
never from the state. A node returns only what it adds; the state's reducers merge it, so a
node can be called alone with a state and a ``Runtime(context=...)``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from langgraph.graph import END, START, StateGraph
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from agentroute._log import get_logger
from agentroute.observability._tracing import span
from agentroute.planning._base import PlanError, validate_plan
from agentroute.planning._followup import acknowledgement_reply, prior_turn
from agentroute.planning._thread import EARLIER_TURNS
from agentroute.protocols import bounded_invoke
from agentroute.turn._answer import compose_answer
from agentroute.turn._decide import budget_left, check_call, choose_route, hidden_by_policy
from agentroute.turn._outage import (
    outage_repeats,
    reroutable_failures,
    unavailable_targets,
    writing_targets,
)
from agentroute.turn._provenance import argument_origins
from agentroute.turn._result import turn_result
from agentroute.turn._shortlist import planner_view
from agentroute.turn._state import TurnContext, TurnState
from agentroute.turn._steps import dependencies, fill_references, ready_steps, resolve_arguments
from agentroute.turn._telemetry import call_attributes, end_call, end_policy
from agentroute.types import (
    AnswerCheck,
    Observation,
    Plan,
    PlanningContext,
    Step,
    TargetKind,
    ToolCall,
    TraceEvent,
)

__all__ = [
    "after_gate",
    "after_observe",
    "after_plan",
    "answer",
    "build_turn_graph",
    "dispatch",
    "gate",
    "observe",
    "plan",
    "recall",
    "remember",
    "route",
]

log = get_logger(__name__)

_HISTORY_KEPT = 20
"""The (request, answer) pairs a thread's state keeps, the newest."""

Node = Callable[[TurnState, Runtime[TurnContext]], Awaitable[dict[str, Any]]]


def _failed(step: Step, target: str, kind: TargetKind | None, error: str) -> Observation:
    return Observation(
        step_id=step.id,
        target=target,
        kind=kind or TargetKind.TOOL,
        query=step.query,
        ok=False,
        error=error,
    )


# -- the nodes, in the order a turn runs them -----------------------------------------------


async def recall(state: TurnState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    """Similar past cases; a case's plan is reused when it still validates."""
    ctx = runtime.context
    if ctx.memory is None:
        event = TraceEvent(node="recall", kind="memory", data={"note": "no memory configured"})
        return {"hits": [], "memory_notes": "", "reused_case": None, "trace": [event]}
    request = state["request"]
    try:
        hits = await asyncio.to_thread(ctx.memory.recall, request, namespace=ctx.namespace)
    except ConnectionError as exc:  # a bank on a server that is down: this turn goes without
        log.warning("recall.unavailable", error=str(exc), consequence="no recall this turn")
        event = TraceEvent(node="recall", kind="memory", data={"note": f"unavailable: {exc}"})
        return {"hits": [], "memory_notes": "", "reused_case": None, "trace": [event]}
    live = {n: t.descriptor.description for n, t in list(ctx.targets.items())}
    reusable = ctx.memory.reusable_plan(request, hits, namespace=ctx.namespace, targets=live)
    render = getattr(ctx.memory, "render_for_planner", None)
    notes = render(hits) if render and hits else ""
    update: dict[str, Any] = {"hits": hits, "memory_notes": notes, "reused_case": None}
    if reusable is not None:
        try:
            validate_plan(reusable, set(ctx.targets))
            update["plan"] = reusable
            update["reused_case"] = reusable.planner.removeprefix("memory:")
        except PlanError as exc:
            log.info("recall.reuse_rejected", error=str(exc))
    update["trace"] = [
        TraceEvent(
            node="recall",
            kind="memory",
            data={"hits": [h.model_dump() for h in hits], "reused": update["reused_case"]},
        )
    ]
    return update


async def plan(state: TurnState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    """A plan for the request (or the recalled one), validated: a planner bug dispatches nothing."""
    ctx = runtime.context
    steps = state.get("steps", {})
    observations = state.get("observations", {})
    reused = state.get("plan") if state.get("round", 0) == 0 else None
    calls = state.get("planner_calls", 0)
    shown_to_planner: int | None = None
    hidden: list[str] = []
    thanked = acknowledgement_reply(state["request"]) if state.get("last_turn") else None
    if thanked is not None and not steps:
        # "ok thanks" after an answer: nothing to plan, nothing to decline, no target asked
        new_plan = Plan(
            steps=[],
            planner="thread",
            reasoning="an acknowledgement of the previous answer",
            followup=f"acknowledgement of the previous turn: {state['request']!r}",
            reply=thanked,
        )
    elif reused is not None and state.get("reused_case"):
        new_plan = reused
    else:
        hidden = hidden_by_policy(ctx.gate, ctx.targets)
        permitted = {n: t.descriptor for n, t in list(ctx.targets.items()) if n not in hidden}
        shown, prior = planner_view(
            ctx.index,
            permitted,
            state["request"],
            hits=state.get("hits", []),
            tried=[o.target for o in observations.values()] + _last_targets(state),
            limit=ctx.shortlist,
        )
        shown_to_planner = len(shown)
        planning = PlanningContext(
            request=state["request"],
            targets=shown,
            prior=prior,
            round=state.get("round", 0) + 1,
            memory_notes=state.get("memory_notes", ""),
            previous=list(observations.values()),
            history=state.get("history", [])[-5:],
            last_turn=state.get("last_turn"),
            earlier_turns=state.get("earlier_turns", []),
            next_step_number=len(steps) + 1,
        )
        new_plan = await ctx.planner.plan(planning)
        calls += 1
        try:
            if new_plan.steps:
                validate_plan(new_plan, set(ctx.targets), set(steps))
        except PlanError as exc:  # a planner bug must never dispatch anything
            log.warning("plan.rejected", error=str(exc), planner=new_plan.planner)
            new_plan = new_plan.model_copy(update={"steps": []})
            new_plan.reasoning = f"plan rejected: {exc}"
    repeats = _denied_repeats(state, new_plan.steps)
    if repeats:  # the policy decides the same call the same way: asking again changes nothing
        kept = [s for s in new_plan.steps if s.id not in repeats]
        new_plan = new_plan.model_copy(update={"steps": kept})
        new_plan.reasoning = f"{new_plan.reasoning} (dropped {', '.join(sorted(repeats))}: "
        new_plan.reasoning += "a repeat of a call the policy denied)"
    writes = writing_targets(ctx.targets)
    down = outage_repeats(state, new_plan.steps, writes) if state.get("round", 0) else set()
    if down:  # target unavailable, or a write not done: no other target is asked in its place
        kept = [s for s in new_plan.steps if s.id not in down]
        new_plan = new_plan.model_copy(update={"steps": kept})
        new_plan.reasoning = f"{new_plan.reasoning} (dropped {', '.join(sorted(down))}: "
        new_plan.reasoning += "a part whose target was unavailable or whose write was not done "
        new_plan.reasoning += "is not re-routed)"
    new_plan.writes = _writes(ctx, new_plan.steps)
    event = TraceEvent(
        node="plan",
        kind="plan",
        data={
            "planner": new_plan.planner,
            "reasoning": new_plan.reasoning,
            "steps": [s.model_dump() for s in new_plan.steps],
            "writes": new_plan.writes,
            "followup": new_plan.followup,
            "targets_shown": shown_to_planner,
            "targets_total": len(ctx.targets),
            "hidden_by_policy": hidden,
            "unavailable": unavailable_targets(ctx.targets),
        },
    )
    return {
        "plan": new_plan,
        "steps": {step.id: step for step in new_plan.steps},
        "order": [s.id for s in new_plan.steps],
        "unmatched": list(new_plan.unmatched),
        "notices": list(new_plan.notices),
        "round": state.get("round", 0) + 1,
        "planners": [new_plan.planner],
        "planner_calls": calls,
        "trace": [event],
    }


def _last_targets(state: TurnState) -> list[str]:
    """The previous turn's targets stay visible to the planner: a follow-up re-asks them."""
    last = state.get("last_turn")
    return [s.target for s in last.steps] if last is not None else []


def _denied_repeats(state: TurnState, planned: list[Step]) -> set[str]:
    """New steps that repeat a step of this turn the policy denied or stopped: same target,
    same query, same arguments (a replan that would only be denied again)."""
    decisions, steps = state.get("decisions", {}), state.get("steps", {})
    denied = {
        (steps[sid].target, steps[sid].query, repr(steps[sid].args))
        for sid, d in decisions.items()
        if sid in steps and d.effect in ("deny", "stop")
    }
    return {s.id for s in planned if (s.target, s.query, repr(s.args)) in denied}


def _writes(ctx: TurnContext, steps: list[Step]) -> dict[str, str]:
    """The plan's steps whose target may change the world: id → ``target (effect)``."""
    found: dict[str, str] = {}
    for step in steps:
        target = ctx.targets.get(step.target) if step.target else None
        if target is not None and target.descriptor.writes:
            found[step.id] = f"{step.target} ({target.descriptor.effect})"
    return found


async def route(state: TurnState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    """The next wave of the plan's DAG, each step routed within the budget; steps whose input
    failed are failed too."""
    ctx = runtime.context
    steps, observations = state["steps"], state.get("observations", {})
    ready, blocked = ready_steps(steps, state["order"], observations, set(state.get("routes", {})))
    failed = {
        sid: _failed(steps[sid], steps[sid].target or "-", None, reason)
        for sid, reason in blocked.items()
    }
    left = budget_left(ctx, state)
    current = state.get("plan")
    hints = current.routes if current is not None else {}
    routes = {sid: choose_route(ctx, steps[sid], left, hints.get(sid)) for sid in ready}
    return {"routes": routes, "observations": failed, "ready": ready}


async def gate(state: TurnState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    """The policy decides every call of the wave: allow, deny, ask a human (an interrupt), or
    stop the turn."""
    ctx = runtime.context
    steps, routes = state["steps"], state["routes"]
    observations = state.get("observations", {})
    failed: dict[str, Observation] = {}
    decisions: dict[str, Any] = {}
    all_args: dict[str, dict[str, Any]] = {}
    allowed: list[str] = []
    stopped: str | None = None
    events: list[TraceEvent] = []
    for sid in state.get("ready", []):
        step, decision = steps[sid], routes[sid]
        if decision.target is None:
            failed[sid] = _failed(step, "-", None, decision.reason)
            continue
        target = ctx.targets[decision.target]
        query = fill_references(step.query, observations, target.descriptor, steps)
        if ctx.reader is not None and step.args is None:
            query, read = ctx.reader.read(decision.target, query)
            if read:  # "captial of Frnace" asked of the graph as "capital of France"
                log.info("turn.argument.read", step=sid, target=decision.target, read=read)
                events.append(
                    TraceEvent(
                        node="gate",
                        kind="spelling",
                        data={"step": sid, "target": decision.target, "read": read},
                    )
                )
        try:
            written = step.args
            if written is not None:  # an LLM plan's {{sN}} inside an argument's text, filled
                written = {
                    k: fill_references(v, observations, target.descriptor, steps)
                    if isinstance(v, str)
                    else v
                    for k, v in written.items()
                }
            args = resolve_arguments(
                query,
                written,
                target.descriptor.input_schema,
                decision.target.split(".", 1)[-1],
            )
        except Exception as exc:  # cannot derive arguments: a clear failed step
            failed[sid] = _failed(step, decision.target, decision.kind, str(exc))
            continue
        all_args[sid] = args
        inputs = {d: observations[d] for d in dependencies(step) if d in observations}
        call = ToolCall(
            step_id=sid,
            target=decision.target,
            kind=target.descriptor.kind,
            args=args,
            query=query,
            request=state.get("request"),
            origins=argument_origins(
                {"query": query, **args},  # what the gate reads of a call (policy.call_key)
                request=state.get("request", ""),
                step=step,
                inputs=inputs,
                schema=target.descriptor.input_schema,
                reused_case=state.get("reused_case"),
            ),
        )
        attributes = {"agentroute.step": sid, "agentroute.target": decision.target}
        with span(f"agentroute.policy {decision.target}", attributes) as checked:
            verdict = check_call(ctx, call, state.get("session", ""))
            if verdict.effect == "ask":
                checked.set_attribute("agentroute.policy.asked", True)
                approved = interrupt(
                    {"kind": "ask", "call": call.model_dump(), "decision": verdict.model_dump()}
                )
                ok = approved is True or str(approved).lower() in {"y", "yes", "true", "allow"}
                resolve = getattr(ctx.gate, "resolve_ask", None)
                updates = resolve(call, ok, session=state.get("session", "")) if resolve else []
                verdict = verdict.model_copy(
                    update={
                        "effect": "allow" if ok else "deny",
                        "reason": f"{verdict.reason} — human {'approved' if ok else 'refused'}",
                        "updates": [*verdict.updates, *updates],
                    }
                )
            end_policy(checked, verdict)
        decisions[sid] = verdict
        events.append(
            TraceEvent(
                node="gate", kind="policy", data={**verdict.model_dump(), "origins": call.origins}
            )
        )
        if verdict.effect == "allow":
            allowed.append(sid)
        elif verdict.effect == "stop":
            stopped = f"stopped by policy ({verdict.rule or 'default'}): {verdict.reason}"
            failed[sid] = _failed(step, decision.target, decision.kind, stopped)
            break
        else:
            message = verdict.fallback or f"denied by policy: {verdict.reason}"
            failed[sid] = _failed(step, decision.target, decision.kind, message)
    return {
        "decisions": decisions,
        "observations": failed,
        "ready": allowed,
        "args": all_args,
        "stopped": stopped,
        "trace": events,
    }


async def dispatch(state: TurnState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    """The allowed calls of the wave, in parallel, each through ``bounded_invoke``: a timeout
    or a target bug degrades its step, never the turn."""
    ctx = runtime.context
    steps, routes, args = state["steps"], state["routes"], state.get("args", {})
    observations = state.get("observations", {})

    async def one(sid: str) -> Observation:
        step, name = steps[sid], routes[sid].target or "-"
        with span(f"agentroute.call {name}", call_attributes(sid, routes[sid])) as called:
            target = ctx.targets.get(name)
            if target is None:  # its server's tools changed while the call waited for approval
                obs = _failed(step, name, routes[sid].kind, f"{name} is no longer available")
            else:
                query = fill_references(step.query, observations, target.descriptor, steps)
                obs = await bounded_invoke(
                    target, sid, query, args.get(sid), timeout=ctx.step_timeout_s
                )
            end_call(called, obs)
        return obs

    results = await asyncio.gather(*(one(sid) for sid in state.get("ready", [])))
    events = [
        TraceEvent(
            node="dispatch",
            kind="step",
            duration_s=obs.latency_s,
            data={
                "step": obs.step_id,
                "target": obs.target,
                "ok": obs.ok,
                "cost_usd": obs.cost_usd,
                "error": obs.error,
            },
        )
        for obs in results
    ]
    spent = sum(o.cost_usd for o in results)
    if ctx.budget.per_session_usd is not None:
        session = state.get("session", "")
        ctx.session_spent[session] = ctx.session_spent.get(session, 0.0) + spent
    return {
        "observations": {obs.step_id: obs for obs in results},
        "cost_usd": spent,
        "ready": [],
        "trace": events,
    }


async def observe(state: TurnState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    """Steps the last wave left without a usable input are failed for good."""
    observations = state.get("observations", {})
    _, blocked = ready_steps(
        state["steps"], state["order"], observations, set(state.get("routes", {}))
    )
    if not blocked:
        return {}
    failed = {}
    for sid, reason in blocked.items():
        step = state["steps"][sid]
        failed[sid] = _failed(step, step.target or "-", None, reason)
    return {"observations": failed}


async def answer(state: TurnState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    """The parts with their sources (an LLM's polish only if it keeps every finding)."""
    current = state.get("plan")
    if current is not None and current.reply and not state.get("observations"):
        # an acknowledgement: answered as is; the turn it thanks for stays the one a
        # follow-up continues ("ok thanks", then "and in miles?")
        check = AnswerCheck(by="composed", reason="an acknowledgement: no target was asked")
        history = [*state.get("history", []), (state["request"], current.reply)]
        return {
            "answer": current.reply,
            "answer_check": check,
            "history": history[-_HISTORY_KEPT:],
            "trace": [TraceEvent(node="answer", kind="answer", data=check.model_dump())],
        }
    text, check = await compose_answer(state, runtime.context.answer_model)
    history = [*state.get("history", []), (state["request"], text)]
    last = prior_turn(state["request"], state.get("order", []), state.get("observations", {}), text)
    before = state.get("last_turn")
    earlier = [*state.get("earlier_turns", []), *([before] if before is not None else [])]
    event = TraceEvent(node="answer", kind="answer", data=check.model_dump())
    return {
        "answer": text,
        "answer_check": check,
        "history": history[-_HISTORY_KEPT:],
        "last_turn": last,
        "earlier_turns": earlier[-EARLIER_TURNS:],
        "trace": [event],
    }


async def remember(state: TurnState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
    """The turn into the case bank; memory trouble must not lose the answer."""
    ctx = runtime.context
    if ctx.memory is None:
        return {"case_id": None}
    current = state.get("plan")
    if current is not None and current.followup:  # "and 70?" means nothing outside its thread
        log.info("remember.skipped_followup", request=state["request"])
        return {"case_id": None}
    down = sorted({o.target for o in state.get("observations", {}).values() if o.unavailable})
    if down:  # an outage is no evidence about the routes, either way
        log.info("remember.skipped_outage", request=state["request"], unavailable=down)
        return {"case_id": None}
    live = {n: t.descriptor.description for n, t in list(ctx.targets.items())}
    try:
        case_id = await asyncio.to_thread(
            ctx.memory.remember, turn_result(state), namespace=ctx.namespace, targets=live
        )
    except Exception as exc:  # memory trouble must not lose the answer
        log.error("remember.failed", error=repr(exc))
        case_id = None
    return {"case_id": case_id}


# -- the edges ------------------------------------------------------------------------------


async def after_plan(state: TurnState) -> str:
    current = state["plan"]
    return "route" if current and current.steps else "answer"


async def after_gate(state: TurnState) -> str:
    if state.get("stopped"):
        return "answer"
    return "dispatch" if state.get("ready") else "observe"


async def after_observe(state: TurnState, runtime: Runtime[TurnContext]) -> str:
    """Next wave, a bounded replan after a failure (budget permitting), or the answer."""
    if state.get("stopped"):
        return "answer"
    observations, routes = state.get("observations", {}), state.get("routes", {})
    pending, _ = ready_steps(state["steps"], state["order"], observations, set(routes))
    if pending:
        return "route"
    failed = reroutable_failures(state)  # a part whose target was unavailable stays failed
    ctx = runtime.context
    if failed and state.get("round", 0) < ctx.max_rounds and budget_left(ctx, state) > 0:
        return "plan"
    return "answer"


# -- the graph ------------------------------------------------------------------------------


def _timed(name: str, node: Node) -> Node:
    """Run each node in its span and close its trace events with one event carrying its
    duration."""
    span_name = f"agentroute.{name}"

    async def run(state: TurnState, runtime: Runtime[TurnContext]) -> dict[str, Any]:
        started = time.perf_counter()
        with span(span_name, {"agentroute.node": name, "agentroute.round": state.get("round", 0)}):
            update = await node(state, runtime)
        event = TraceEvent(
            node=name, kind="node", t=started, duration_s=time.perf_counter() - started
        )
        update["trace"] = [*update.get("trace", []), event]
        return update

    return run


def build_turn_graph(checkpointer: Any = None) -> Any:
    """The compiled turn; each run is given its ``TurnContext`` (``context=``)."""
    graph = StateGraph(TurnState, context_schema=TurnContext)
    for node in (recall, plan, route, gate, dispatch, observe, answer, remember):
        graph.add_node(node.__name__, _timed(node.__name__, node))  # type: ignore[call-overload]
    graph.add_edge(START, "recall")
    graph.add_edge("recall", "plan")
    graph.add_conditional_edges("plan", after_plan, ["route", "answer"])
    graph.add_edge("route", "gate")
    graph.add_conditional_edges("gate", after_gate, ["dispatch", "observe", "answer"])
    graph.add_edge("dispatch", "observe")
    graph.add_conditional_edges("observe", after_observe, ["route", "plan", "answer"])
    graph.add_edge("answer", "remember")
    graph.add_edge("remember", END)
    return graph.compile(checkpointer=checkpointer)
