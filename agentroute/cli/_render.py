"""Rich rendering shared by ``run`` and ``chat``: the same records the JSON and logs carry."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:  # the records are imported where shown: chat's prompt waits for none of them
    from agentroute.targets._index import ScoredTarget
    from agentroute.turn._result import TurnResult
    from agentroute.types import Health, Observation, RouteDecision, TargetDescriptor

__all__ = [
    "console",
    "describe_approval",
    "print_found",
    "print_result",
    "print_targets",
    "print_update",
    "target_listing",
]

console = Console(highlight=False)


def _say(text: str, *, markup: bool = True) -> None:
    """Print a line as rich would, but unwrapped when stdout is not a terminal: piped to a
    file or a script, rich broke lines at its 80-column default, inside an answer."""
    console.print(text, markup=markup, soft_wrap=not console.is_terminal)


def describe_approval(pending: Mapping[str, Any]) -> list[str]:
    """A pending ``ask`` as the lines a human reads before answering: the call, and the rule
    or default that asks."""
    call, decision = pending.get("call", {}), pending.get("decision", {})
    by = f"rule {decision['rule']}" if decision.get("rule") else "the default without a policy"
    return [
        f"Approval needed ({by}):",
        f"  target: {call.get('target')}",
        f"  arguments: {call.get('args')}",
        f"  reason: {decision.get('reason')}",
    ]


def print_update(node: str, update: Mapping[str, Any]) -> None:
    """Called as each node of a turn finishes: shows plans, routes, policy, calls, cost."""
    if node == "recall":
        for hit in update.get("hits") or []:
            _say(
                f"[dim]  memory: case {hit.case_id} similarity {hit.similarity:.2f} "
                f"utility {hit.utility:.2f}[/dim]"
            )
        if update.get("reused_case"):
            _say(f"[cyan]  reusing the plan of case {update['reused_case']}[/cyan]")
    elif node == "plan" and update.get("plan") is not None:
        plan = update["plan"]
        _say(f"[dim]  plan ({plan.planner}): {len(plan.steps)} step(s)[/dim]")
        if plan.followup:
            _say(f"[cyan]  {escape(plan.followup)}[/cyan]")
        for clause in plan.unmatched:
            _say(f"[yellow]  no suitable target for {escape(repr(clause))}[/yellow]")
        for sid, target in plan.writes.items():
            _say(f"[yellow]  {sid} writes: {escape(target)}[/yellow]")
    elif node == "route":
        for sid in update.get("ready") or []:
            d: RouteDecision = update["routes"][sid]
            if d.target is None:
                _say(f"[yellow]  {sid}: no route — {escape(d.reason)}[/yellow]")
            else:
                _say(
                    f"  [bold]{sid}[/bold] → [cyan]{d.target}[/cyan] ({d.kind}) "
                    f"[dim]{escape(d.reason)}[/dim]"
                )
    elif node == "gate":
        from agentroute.observability._trace import decision_reason

        for sid, p in (update.get("decisions") or {}).items():  # this gate run's own
            colour = {"allow": "green", "deny": "red", "ask": "yellow", "stop": "red"}[p.effect]
            _say(
                f"  [dim]policy[/dim] {sid} {p.target}: [{colour}]{p.effect}[/{colour}]"
                f" [dim]({escape(decision_reason(p.rule, p.reason))})[/dim]"
            )
    elif node == "dispatch":
        from agentroute.types import Observation

        for obs in (update.get("observations") or {}).values():
            if not isinstance(obs, Observation):
                continue
            _print_observation(obs)


def _print_observation(obs: Observation) -> None:
    status = "[green]ok[/green]" if obs.ok else f"[red]failed[/red]: {escape(obs.error or '')}"
    _say(
        f"  [dim]call[/dim] {obs.step_id} {obs.target} {obs.latency_s * 1000:.0f} ms "
        f"${obs.cost_usd:.6f} {status}"
    )
    note = obs.data.get("note") if isinstance(obs.data, dict) else None
    if isinstance(note, str):  # e.g. what a cascade's verifier decided
        _say(f"  [dim]{escape(note)}[/dim]")


def print_result(result: TurnResult, *, show_trace: bool = False) -> None:
    _say(result.answer, markup=False)
    _say(
        f"[dim]{len(result.steps)} step(s), ${result.cost_usd:.6f}, "
        f"{result.latency_s:.2f} s, turn {result.turn_id}[/dim]"
    )
    if show_trace:
        from agentroute.observability import format_trace

        for line in format_trace(result.trace):
            _say(line, markup=False)


def target_listing(
    agent: Any,
) -> tuple[list[TargetDescriptor], dict[str, Health], dict[str, Health]]:
    """What ``targets`` and chat's ``/targets`` show: every target and its health, plus the MCP
    servers that have no tools (down since start-up), which would otherwise not appear."""
    descriptors, health = agent.targets(), agent.health()
    serving = {d.server for d in descriptors if d.server}
    return descriptors, health, {n: h for n, h in agent.servers().items() if n not in serving}


_WIDE = 110
"""Below this many columns the descriptions leave the table for lines of their own: in an
80-column terminal the table left them two characters a line."""


def print_targets(
    descriptors: Sequence[TargetDescriptor],
    health: Mapping[str, Health],
    idle_servers: Mapping[str, Health] | None = None,
) -> None:
    """The targets with their health; MCP servers without tools (down since start-up) too,
    so a misconfigured server is not simply missing from the list. A price column only when
    an expert has a price to show; on a narrow terminal the descriptions follow the table."""
    wide = console.width >= _WIDE
    priced = any(d.kind == "expert" for d in descriptors)
    table = Table()
    for column in ("target", "kind", "effect"):
        table.add_column(column, no_wrap=True)  # the facts whole
    # a down server's detail (its stderr) wraps past a short state ("down; 6 restarts"); the
    # price and the description give way on a narrow terminal
    table.add_column("health", min_width=20 if wide else 14)
    if priced:
        table.add_column("price in/out per 1M")
    if wide:
        table.add_column("description")
    described: list[tuple[str, str]] = []
    for d in descriptors:
        price = f"${d.price_in_per_m:g}/${d.price_out_per_m:g}" if d.kind == "expert" else "-"
        row = [escape(d.name), d.kind.value, _EFFECT[d.effect], _health(health.get(d.name))]
        short = escape(_gist(d.description))
        table.add_row(*row, *([price] if priced else []), *([short] if wide else []))
        described.append((escape(d.name), short))
    for name, h in (idle_servers or {}).items():
        ok = "[green]ok[/green] (no tools)" if h.ok else _health(h)
        said = "its tools appear when it is up"
        table.add_row(
            escape(name),
            "mcp server",
            "-",
            ok,
            *(["-"] if priced else []),
            *([said] if wide else []),
        )
    console.print(table)
    if not wide:
        for name, description in described:
            console.print(f"[bold]{name}[/bold]: {description}", highlight=False)


_GIST = 60
"""The most of a description the listing shows (``--json`` has it whole)."""


def _gist(description: str) -> str:
    """A description's start on one line, cut between words with an ellipsis: a server's text
    spans lines ("...simultaneously. This\nis") and was cut mid-word."""
    flat = " ".join(description.split())
    if len(flat) <= _GIST:
        return flat
    cut = flat[: _GIST + 1].rsplit(" ", 1)[0].rstrip(" ,;:.")
    return f"{cut or flat[:_GIST]}…"


_EFFECT = {
    "read": "read-only",
    "write": "[yellow]writes[/yellow]",
    "destructive": "[red]destructive[/red]",
    None: "[dim]unsaid[/dim]",
}
"""What a call may do (the server's MCP annotations, else the tool's name and description):
without a policy, a tool that writes asks first."""


def _health(h: Health | None) -> str:
    """The health cell: ok, not checked, or down and the detail. An MCP server's detail starts with its
    state, "down" when it is down, so the listing read "down down; 6 restarts"."""
    if h is not None and h.ok and not h.checked:  # an expert: calling it would cost a call
        return "[dim]not checked[/dim]"
    if h is not None and h.ok:
        return "[green]ok[/green]"
    detail = h.detail if h is not None else ""
    if detail == "down" or detail.startswith("down;"):
        detail = detail[len("down") :]
    else:
        detail = f" {detail}" if detail else ""
    return f"[red]down[/red]{escape(detail)}"


def print_found(request: str, hits: Sequence[ScoredTarget]) -> None:
    """The targets that fit a request, best first: ``rank`` orders them (token matching,
    server and argument fit included), ``cosine`` is what the planner's threshold reads."""
    table = Table("#", "target", "kind", "rank", "cosine", "matched text", title=escape(request))
    for i, h in enumerate(hits, 1):
        table.add_row(
            str(i),
            escape(h.descriptor.name),
            h.descriptor.kind.value,
            f"{h.rank_score:.3f}",
            f"{h.score:.3f}",
            escape(h.best_text[:70]),
        )
    console.print(table)
