"""``agentroute chat``: the REPL. Input is accepted at once while the agent starts behind it."""

from __future__ import annotations

import sys
import threading
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agentroute._runtime import release_memory
from agentroute.cli._render import (
    console,
    print_result,
    print_targets,
    print_update,
    target_listing,
)
from agentroute.observability import format_trace

__all__ = ["run_chat"]

HELP = """\
/help            this help
/trace           the last turn's trace (per node and step, with timing and cost)
/cost            cost of the last turn and of this session
/targets         targets with health
/route           the route decisions of the last turn, with alternatives
/memory          what memory recalled for the last turn, and why
/good  /bad      tell memory the last answer was right / wrong
/thread          this thread's id (resume it later with --thread ID)
/history         this thread's earlier turns
/new             start a new thread
/quit            leave (the thread is kept; resume with --thread ID)"""


class _Starter:
    """Starts the agent on a thread so the prompt appears immediately."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.agent: Any = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._start, args=(factory,), daemon=True)
        self._thread.start()

    def _start(self, factory: Callable[[], Any]) -> None:
        try:
            self.agent = factory()
            self.agent.start()
        except BaseException as exc:
            self.error = exc

    def get(self) -> Any:
        if self._thread.is_alive():
            console.print("[dim]starting targets…[/dim]")
        self._thread.join()
        if self.error is not None:
            raise self.error
        return self.agent


def _reader(data_dir: Path) -> Callable[[str], str]:
    if not sys.stdin.isatty():

        def read(prompt: str) -> str:
            line = sys.stdin.readline()
            if not line:
                raise EOFError
            return line.rstrip("\n")

        return read
    from prompt_toolkit import PromptSession
    from prompt_toolkit.history import FileHistory

    data_dir.mkdir(parents=True, exist_ok=True)
    session: PromptSession[str] = PromptSession(history=FileHistory(str(data_dir / "chat_history")))
    return lambda prompt: session.prompt(prompt)


def _ask_human(agent: Any, result: Any, thread: str, read: Callable[[str], str]) -> Any:
    while result.pending_approval is not None:
        call = result.pending_approval.get("call", {})
        decision = result.pending_approval.get("decision", {})
        console.print("[yellow]The policy asks for approval of this call:[/yellow]")
        console.print(
            f"  target: {call.get('target')}\n  arguments: {call.get('args')}\n"
            f"  rule: {decision.get('rule')}  reason: {decision.get('reason')}",
            markup=False,
        )
        answer = read("allow? [y/N] ").strip().lower()
        result = agent.resume(thread, answer in {"y", "yes"}, on_update=print_update)
    return result


def run_chat(factory: Callable[[], Any], *, thread: str | None, data_dir: Path) -> None:
    starter = _Starter(factory)
    thread = thread or uuid.uuid4().hex[:12]
    console.print(f"agentroute chat — thread [bold]{thread}[/bold]. /help for commands.")
    read = _reader(data_dir)
    session_cost = 0.0
    last: Any = None
    shown_history = False
    while True:
        try:
            line = read("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not line:
            continue
        try:
            agent = starter.get()
        except Exception as exc:
            console.print(f"[red]error: {exc}[/red]", markup=False)
            return
        if not shown_history:
            shown_history = True
            earlier = agent.history(thread)
            if earlier:
                console.print(
                    f"[dim](resumed: {len(earlier)} earlier turn(s) in this thread)[/dim]"
                )
        if line.startswith("/"):
            command = line.split()[0].lower()
            if command in {"/quit", "/exit"}:
                break
            if command == "/help":
                console.print(HELP, markup=False)
            elif command == "/trace":
                for text in format_trace(last.trace) if last else ["no turn yet"]:
                    console.print(text, markup=False)
            elif command == "/cost":
                turn = last.cost_usd if last else 0.0
                console.print(f"last turn ${turn:.6f}; this session ${session_cost:.6f}")
            elif command == "/targets":
                print_targets(*target_listing(agent))
            elif command == "/route":
                for step in last.steps if last else []:
                    r = step.route
                    console.print(
                        f"{step.id} {step.query!r} → {step.target}: {r.reason if r else ''}",
                        markup=False,
                    )
                    for alt in r.alternatives if r else []:
                        console.print(
                            f"    alternative {alt.target} score {alt.score:.3f} "
                            f"quality {alt.predicted_quality} cost {alt.predicted_cost}",
                            markup=False,
                        )
            elif command == "/memory":
                if not last or not last.memory:
                    console.print("nothing was recalled for the last turn")
                for hit in last.memory if last else []:
                    console.print(
                        f"case {hit.case_id}: similarity {hit.similarity:.2f}, utility "
                        f"{hit.utility:.2f}, success {hit.success} — {hit.task!r} "
                        f"{hit.reason}",
                        markup=False,
                    )
                if last and last.reused_case:
                    console.print(f"the plan of case {last.reused_case} was reused")
            elif command in {"/good", "/bad"}:
                if last is None:
                    console.print("no turn yet")
                else:
                    stored = agent.feedback(last.turn_id, 1.0 if command == "/good" else 0.0)
                    console.print("noted" if stored else "noted (memory is off)")
            elif command == "/thread":
                console.print(thread)
            elif command == "/history":
                for request, answer in agent.history(thread):
                    console.print(f"you> {request}\n{answer}\n", markup=False)
            elif command == "/new":
                thread = uuid.uuid4().hex[:12]
                last = None
                console.print(f"new thread [bold]{thread}[/bold]")
            else:
                console.print(f"unknown command {command}; /help lists them", markup=False)
            continue
        try:
            result = agent.run(line, thread=thread, on_update=print_update)
            result = _ask_human(agent, result, thread, read)
        except Exception as exc:  # the session survives whatever one turn does
            console.print(f"[red]that turn failed: {exc!r}[/red]", markup=False)
            continue
        last = result
        session_cost += result.cost_usd
        print_result(result)
        release_memory()  # the chat now idles until the next line
    console.print(f"bye — resume with: agentroute chat --thread {thread}")
    if starter.agent is not None:
        starter.agent.close()
