"""One turn as a LangGraph state graph: the whole data flow, readable top to bottom.

    recall ─► plan ─► route ─► gate ─► dispatch ─► observe ─┬─► route   (next wave of the DAG)
                ▲                                            ├─► plan    (replan, bounded)
                └────────────────────────────────────────────┘
                                                             └─► answer ─► remember ─► END

Each node is a small function over ``TurnState``; live objects (targets, planner, gate,
memory) come from the ``TurnRuntime`` the graph is built with, never from the state.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import structlog
from langgraph.graph import END, START, StateGraph
from langgraph.types import interrupt

from agentroute._records import (
    Observation,
    Step,
    TargetKind,
    ToolCall,
    TraceEvent,
)
from agentroute.graph._answer import compose_answer
from agentroute.graph._decide import budget_left, check_call, choose_route
from agentroute.graph._shortlist import planner_view
from agentroute.graph._state import TurnRuntime, TurnState
from agentroute.graph._steps import fill_references, ready_steps, resolve_arguments
from agentroute.planning._base import PlanError, PlanningContext, validate_plan

__all__ = ["build_turn_graph"]

log = structlog.get_logger(__name__)

Node = Callable[[TurnState], Awaitable[dict[str, Any]]]


def _timed(name: str, node: Node) -> Node:
    """Append one trace event per node run, with its duration."""

    async def run(state: TurnState) -> dict[str, Any]:
        started = time.perf_counter()
        update = await node(state)
        events = update.pop("_events", [])
        event = TraceEvent(
            node=name, kind="node", t=started, duration_s=time.perf_counter() - started
        )
        update["trace"] = [*state.get("trace", []), *events, event]
        return update

    return run


def _failed(step: Step, target: str, kind: TargetKind | None, error: str) -> Observation:
    return Observation(
        step_id=step.id,
        target=target,
        kind=kind or TargetKind.TOOL,
        query=step.query,
        ok=False,
        error=error,
    )


def build_turn_graph(rt: TurnRuntime, checkpointer: Any = None) -> Any:
    async def recall(state: TurnState) -> dict[str, Any]:
        if rt.memory is None:
            event = TraceEvent(node="recall", kind="memory", data={"note": "no memory configured"})
            return {"hits": [], "memory_notes": "", "reused_case": None, "_events": [event]}
        request = state["request"]
        hits = await asyncio.to_thread(rt.memory.recall, request, namespace=rt.namespace)
        live = {n: t.descriptor.description for n, t in list(rt.targets.items())}
        plan = rt.memory.reusable_plan(request, hits, namespace=rt.namespace, targets=live)
        render = getattr(rt.memory, "render_for_planner", None)
        notes = render(hits) if render and hits else ""
        update: dict[str, Any] = {"hits": hits, "memory_notes": notes, "reused_case": None}
        if plan is not None:
            try:
                validate_plan(plan, set(rt.targets))
                update["plan"] = plan
                update["reused_case"] = plan.planner.removeprefix("memory:")
            except PlanError as exc:
                log.info("recall.reuse_rejected", error=str(exc))
        update["_events"] = [
            TraceEvent(
                node="recall",
                kind="memory",
                data={"hits": [h.model_dump() for h in hits], "reused": update["reused_case"]},
            )
        ]
        return update

    async def plan(state: TurnState) -> dict[str, Any]:
        steps = dict(state.get("steps", {}))
        observations = state.get("observations", {})
        reused = state.get("plan") if state.get("round", 0) == 0 else None
        calls = state.get("planner_calls", 0)
        shown_to_planner: int | None = None
        if reused is not None and state.get("reused_case"):
            new_plan = reused
        else:
            shown, prior = planner_view(
                rt.index,
                {name: t.descriptor for name, t in rt.targets.items()},
                state["request"],
                hits=state.get("hits", []),
                tried=[o.target for o in observations.values()],
                limit=rt.shortlist,
            )
            shown_to_planner = len(shown)
            ctx = PlanningContext(
                request=state["request"],
                targets=shown,
                prior=prior,
                round=state.get("round", 0) + 1,
                memory_notes=state.get("memory_notes", ""),
                previous=list(observations.values()),
                history=state.get("history", [])[-5:],
                next_step_number=len(steps) + 1,
            )
            new_plan = await rt.planner.plan(ctx)
            calls += 1
            try:
                if new_plan.steps:
                    validate_plan(new_plan, set(rt.targets), set(steps))
            except PlanError as exc:  # a planner bug must never dispatch anything
                log.warning("plan.rejected", error=str(exc), planner=new_plan.planner)
                new_plan = new_plan.model_copy(update={"steps": []})
                new_plan.reasoning = f"plan rejected: {exc}"
        for step in new_plan.steps:
            steps[step.id] = step
        order = [*state.get("order", []), *(s.id for s in new_plan.steps)]
        unmatched = [*state.get("unmatched", []), *new_plan.unmatched]
        event = TraceEvent(
            node="plan",
            kind="plan",
            data={
                "planner": new_plan.planner,
                "reasoning": new_plan.reasoning,
                "steps": [s.model_dump() for s in new_plan.steps],
                "targets_shown": shown_to_planner,
                "targets_total": len(rt.targets),
            },
        )
        return {
            "plan": new_plan,
            "steps": steps,
            "order": order,
            "unmatched": unmatched,
            "round": state.get("round", 0) + 1,
            "planners": [*state.get("planners", []), new_plan.planner],
            "planner_calls": calls,
            "_events": [event],
        }

    async def route(state: TurnState) -> dict[str, Any]:
        steps, observations = state["steps"], dict(state.get("observations", {}))
        routes = dict(state.get("routes", {}))
        ready, blocked = ready_steps(steps, state["order"], observations, set(routes))
        for sid, reason in blocked.items():
            observations[sid] = _failed(steps[sid], steps[sid].target or "-", None, reason)
        left = budget_left(rt, state)
        plan = state.get("plan")
        hints = plan.routes if plan is not None else {}
        for sid in ready:
            routes[sid] = choose_route(rt, steps[sid], left, hints.get(sid))
        return {"routes": routes, "observations": observations, "ready": ready}

    async def gate(state: TurnState) -> dict[str, Any]:
        steps, routes = state["steps"], state["routes"]
        observations = dict(state.get("observations", {}))
        decisions = dict(state.get("decisions", {}))
        all_args = dict(state.get("args", {}))
        allowed: list[str] = []
        stopped: str | None = None
        events: list[TraceEvent] = []
        for sid in state.get("ready", []):
            step, decision = steps[sid], routes[sid]
            if decision.target is None:
                observations[sid] = _failed(step, "-", None, decision.reason)
                continue
            target = rt.targets[decision.target]
            query = fill_references(step.query, observations)
            try:
                args = resolve_arguments(
                    query,
                    step.args,
                    target.descriptor.input_schema,
                    decision.target.split(".", 1)[-1],
                )
            except Exception as exc:  # cannot derive arguments: a clear failed step
                observations[sid] = _failed(step, decision.target, decision.kind, str(exc))
                continue
            all_args[sid] = args
            call = ToolCall(
                step_id=sid,
                target=decision.target,
                kind=target.descriptor.kind,
                args=args,
                query=query,
            )
            verdict = check_call(rt, call, state.get("session", ""))
            if verdict.effect == "ask":
                approved = interrupt(
                    {"kind": "ask", "call": call.model_dump(), "decision": verdict.model_dump()}
                )
                ok = approved is True or str(approved).lower() in {"y", "yes", "true", "allow"}
                resolve = getattr(rt.gate, "resolve_ask", None)
                updates = resolve(call, ok, session=state.get("session", "")) if resolve else []
                verdict = verdict.model_copy(
                    update={
                        "effect": "allow" if ok else "deny",
                        "reason": f"{verdict.reason} — human {'approved' if ok else 'refused'}",
                        "updates": [*verdict.updates, *updates],
                    }
                )
            decisions[sid] = verdict
            events.append(TraceEvent(node="gate", kind="policy", data=verdict.model_dump()))
            if verdict.effect == "allow":
                allowed.append(sid)
            elif verdict.effect == "stop":
                stopped = f"stopped by policy ({verdict.rule or 'default'}): {verdict.reason}"
                observations[sid] = _failed(step, decision.target, decision.kind, stopped)
                break
            else:
                message = verdict.fallback or f"denied by policy: {verdict.reason}"
                observations[sid] = _failed(step, decision.target, decision.kind, message)
        return {
            "decisions": decisions,
            "observations": observations,
            "ready": allowed,
            "args": all_args,
            "stopped": stopped,
            "_events": events,
        }

    async def dispatch(state: TurnState) -> dict[str, Any]:
        steps, routes, args = state["steps"], state["routes"], state.get("args", {})
        observations = dict(state.get("observations", {}))

        async def one(sid: str) -> Observation:
            step, name = steps[sid], routes[sid].target or "-"
            query = fill_references(step.query, observations)
            started = time.perf_counter()
            try:
                obs = await asyncio.wait_for(
                    rt.targets[name].invoke(sid, query, args.get(sid), timeout=rt.step_timeout_s),
                    rt.step_timeout_s + 1.0,
                )
            except TimeoutError:
                obs = _failed(
                    step, name, routes[sid].kind, f"{name} timed out after {rt.step_timeout_s:g} s"
                )
            except Exception as exc:  # a target bug degrades this step, never the turn
                obs = _failed(step, name, routes[sid].kind, f"{name} failed: {exc!r}")
            if not obs.latency_s:
                obs.latency_s = time.perf_counter() - started
            return obs

        results = await asyncio.gather(*(one(sid) for sid in state.get("ready", [])))
        cost = state.get("cost_usd", 0.0)
        events = []
        for obs in results:
            observations[obs.step_id] = obs
            cost += obs.cost_usd
            events.append(
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
            )
        if rt.budget.per_session_usd is not None:
            session = state.get("session", "")
            rt.session_spent[session] = rt.session_spent.get(session, 0.0) + sum(
                o.cost_usd for o in results
            )
        return {"observations": observations, "cost_usd": cost, "ready": [], "_events": events}

    async def observe(state: TurnState) -> dict[str, Any]:
        observations = state.get("observations", {})
        _, blocked = ready_steps(
            state["steps"], state["order"], observations, set(state.get("routes", {}))
        )
        if not blocked:
            return {}
        observations = dict(observations)
        for sid, reason in blocked.items():
            step = state["steps"][sid]
            observations[sid] = _failed(step, step.target or "-", None, reason)
        return {"observations": observations}

    async def after_observe(state: TurnState) -> str:
        if state.get("stopped"):
            return "answer"
        observations, routes = state.get("observations", {}), state.get("routes", {})
        pending, _ = ready_steps(state["steps"], state["order"], observations, set(routes))
        if pending:
            return "route"
        failed = [o for o in observations.values() if not o.ok]
        if failed and state.get("round", 0) < rt.max_rounds and budget_left(rt, state) > 0:
            return "plan"
        return "answer"

    async def after_plan(state: TurnState) -> str:
        return "route" if state["plan"] and state["plan"].steps else "answer"

    async def after_gate(state: TurnState) -> str:
        if state.get("stopped"):
            return "answer"
        return "dispatch" if state.get("ready") else "observe"

    async def answer(state: TurnState) -> dict[str, Any]:
        text, check = await compose_answer(state, rt.answer_model)
        history = [*state.get("history", []), (state["request"], text)]
        event = TraceEvent(node="answer", kind="answer", data=check.model_dump())
        return {
            "answer": text,
            "answer_check": check,
            "history": history[-20:],
            "_events": [event],
        }

    async def remember(state: TurnState) -> dict[str, Any]:
        if rt.memory is None:
            return {"case_id": None}
        from agentroute.graph._result import turn_result

        live = {n: t.descriptor.description for n, t in list(rt.targets.items())}
        try:
            case_id = await asyncio.to_thread(
                rt.memory.remember, turn_result(state), namespace=rt.namespace, targets=live
            )
        except Exception as exc:  # memory trouble must not lose the answer
            log.error("remember.failed", error=repr(exc))
            case_id = None
        return {"case_id": case_id}

    graph = StateGraph(TurnState)
    for name, node in [
        ("recall", recall),
        ("plan", plan),
        ("route", route),
        ("gate", gate),
        ("dispatch", dispatch),
        ("observe", observe),
        ("answer", answer),
        ("remember", remember),
    ]:
        graph.add_node(name, _timed(name, node))  # type: ignore[call-overload]
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
