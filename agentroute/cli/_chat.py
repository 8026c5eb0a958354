"""``agentroute chat``: the REPL. Input is accepted at once while the agent starts behind it."""

from __future__ import annotations

import logging
import sys
import threading
import uuid
from collections.abc import Callable, MutableMapping
from pathlib import Path
from typing import Any

from rich.text import Text

from agentroute.cli._render import (
    console,
    describe_approval,
    print_result,
    print_targets,
    print_update,
    target_listing,
)

__all__ = ["run_chat"]

HELP = """\
/help            this help
/trace           the last turn's trace (per node and step, with timing and cost)
/cost            cost of the last turn and of this session
/targets         targets with health
/policy          what gates the calls (the policy, or the no-policy default)
/route           the route decisions of the last turn, with alternatives
/memory          what memory recalled for the last turn, and why
/good  /bad      tell memory the last answer was right / wrong
/thread          this thread's id (resume it later with --thread ID)
/history         this thread's earlier turns
/new             start a new thread
/quit            leave (the thread is kept; resume with --thread ID)"""

# every command above takes no argument: one given is said, not silently dropped
_COMMANDS = frozenset(w for row in HELP.splitlines() for w in row.split() if w.startswith("/"))


_LEVELS = {
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "warn": logging.WARNING,
    "error": logging.ERROR,
    "exception": logging.ERROR,
    "critical": logging.CRITICAL,
}
_SHOWN_ELSEWHERE = {"mcp.call.failed", "expert.failed"}
"""Warnings the chat already renders (as the failed call of a step): no second note."""


class _ChatLogs:
    """Keeps log lines out of the conversation.

    A log line printed on the terminal lands between a turn's routes and its answer, or over
    the prompt being typed (the agent starts behind the prompt). In chat, logs go to
    ``chat.log`` in the data dir at the configured level, and every warning is also kept as a
    short note the chat shows, dim, once the answer is out (even at ``AGENTROUTE_LOG=error``:
    a quarantined turn concerns the user, not only the operator).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._notes: list[str] = []
        self._lock = threading.Lock()
        self._saved: dict[str, Any] | None = None
        self._file: Any = None
        self._handler: logging.Handler | None = None

    def install(self) -> None:
        """Take over logging; after the agent's factory, whose ``configure_logging`` would
        otherwise replace this."""
        import structlog

        saved = structlog.get_config()
        try:
            level = saved["wrapper_class"](None, [], {}).get_effective_level()
        except Exception:
            level = logging.WARNING
        processors = list(saved["processors"])
        if processors and isinstance(processors[-1], structlog.dev.ConsoleRenderer):
            processors[-1] = structlog.dev.ConsoleRenderer(colors=False)

        def keep(_logger: Any, method: str, event: MutableMapping[str, Any]) -> Any:
            if _LEVELS.get(method, logging.WARNING) < level:
                raise structlog.DropEvent
            return event

        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self.path.open("a", encoding="utf-8", buffering=1)
        structlog.configure(
            processors=[self._note, keep, *processors],
            wrapper_class=structlog.make_filtering_bound_logger(min(level, logging.WARNING)),
            logger_factory=structlog.PrintLoggerFactory(file=self._file),
        )
        self._saved = saved
        root = logging.getLogger()
        self._handler = logging.StreamHandler(self._file)
        self._handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s")
        )
        root.addHandler(self._handler)  # else stdlib warnings reach the terminal (lastResort)

    def uninstall(self) -> None:
        if self._saved is not None:
            import structlog

            structlog.configure(**self._saved)
            self._saved = None
        if self._handler is not None:
            logging.getLogger().removeHandler(self._handler)
            self._handler = None
        if self._file is not None:
            self._file.close()
            self._file = None

    def _note(self, _logger: Any, method: str, event: MutableMapping[str, Any]) -> Any:
        name = str(event.get("event", ""))
        if _LEVELS.get(method, logging.WARNING) >= logging.WARNING and name not in _SHOWN_ELSEWHERE:
            fields = {k: v for k, v in event.items() if k != "event"}
            if name == "memory.quarantined":
                reasons = fields.get("reasons") or []
                why = "; ".join(map(str, reasons)) if isinstance(reasons, list) else str(reasons)
                text = (
                    f"memory: this turn was quarantined, not kept for reuse — {why} "
                    "(agentroute memory list --status quarantined)"
                )
            else:
                detail = " ".join(f"{k}={v}" for k, v in fields.items())
                text = f"{method}: {name} {detail}"[:300] + f" (log: {self.path})"
            with self._lock:
                self._notes.append(text)
        return event

    def flush(self) -> None:
        """Show the notes gathered since the last flush (after the output they concern)."""
        with self._lock:
            notes, self._notes = self._notes, []
        for text in dict.fromkeys(notes):
            console.print(Text(text, style="dim"))


class _Starter:
    """Starts the agent on a thread so the prompt appears immediately: ``start`` is called once
    the prompt is ready to show (the agent's imports would otherwise slow the prompt's own)."""

    def __init__(self, factory: Callable[[], Any], built: Callable[[], None]) -> None:
        self.agent: Any = None
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._start, args=(factory, built), daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def starting(self) -> bool:
        return self._thread.is_alive()

    def _start(self, factory: Callable[[], Any], built: Callable[[], None]) -> None:
        try:
            self.agent = factory()
            built()
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
        head, *rest = describe_approval(result.pending_approval)
        console.print(f"[yellow]{head}[/yellow]")
        console.print("\n".join(rest), markup=False)
        answer = read("allow? [y/N] ").strip().lower()
        result = agent.resume(thread, answer in {"y", "yes"}, on_update=print_update)
    return result


def run_chat(factory: Callable[[], Any], *, thread: str | None, data_dir: Path) -> None:
    logs = _ChatLogs(data_dir / "chat.log")
    starter = _Starter(factory, logs.install)
    try:
        _loop(starter, logs, thread or uuid.uuid4().hex[:12], data_dir)
    finally:
        try:
            if starter.agent is not None and not starter.starting:  # else it dies with us:
                starter.agent.close()  # its servers see their stdin close and exit
        finally:
            logs.uninstall()


def _loop(starter: _Starter, logs: _ChatLogs, thread: str, data_dir: Path) -> None:
    """Ctrl-C while a line is being handled cancels that (a turn's task on the agent's loop,
    see ``LoopThread.run``) and comes back to the prompt; at the prompt it leaves."""
    console.print(f"agentroute chat — thread [bold]{thread}[/bold]. /help for commands.")
    read = _reader(data_dir)
    starter.start()
    session_cost = 0.0
    last: Any = None
    shown_history = False
    while True:
        logs.flush()
        try:
            line = read("you> ").strip()
        except (EOFError, KeyboardInterrupt):
            break
        if not line:
            continue
        if line.split()[0].lower() in {"/quit", "/exit"}:
            break  # at once: a starting agent is not waited for to be closed
        if line.split()[0].lower() == "/help" or line.lower() in {"help", "?"}:
            console.print(HELP, markup=False)
            continue
        if line.split()[0].lower() in _COMMANDS and len(line.split()) > 1:
            console.print(
                f"usage: {line.split()[0].lower()} (no argument; /help lists the commands)",
                markup=False,
            )
            continue
        try:
            agent = starter.get()
        except KeyboardInterrupt:
            console.print("[yellow]cancelled[/yellow] [dim](the targets are still starting)[/dim]")
            continue
        # an agent that cannot start (a broken policy file) ends the chat as it ends ``run``:
        # said on stderr, exit 2; it was a line on stdout and exit 0
        try:
            if not shown_history:
                shown_history = True
                console.print(Text(f"({agent.policy_summary()})", style="dim"))
                earlier = agent.history(thread)
                if earlier:
                    console.print(
                        f"[dim](resumed: {len(earlier)} earlier turn(s) in this thread)[/dim]"
                    )
            if line.startswith("/"):
                command = line.split()[0].lower()
                if command == "/new":
                    thread = uuid.uuid4().hex[:12]
                    last = None
                    console.print(f"new thread [bold]{thread}[/bold]")
                else:
                    _command(command, agent, thread, last, session_cost)
                continue
            try:
                result = agent.run(line, thread=thread, on_update=print_update)
                result = _ask_human(agent, result, thread, read)
            except KeyboardInterrupt:
                console.print(
                    "[yellow]turn cancelled[/yellow] [dim](Ctrl-C) — the thread is kept; "
                    "Ctrl-C or Ctrl-D at the empty prompt leaves[/dim]"
                )
                continue
            except Exception as exc:  # the session survives whatever one turn does
                console.print(f"that turn failed: {exc!r}", style="red", markup=False)
                continue
            last = result
            session_cost += result.cost_usd
            print_result(result)
            from agentroute._runtime import release_memory

            release_memory()  # the chat now idles until the next line
        except KeyboardInterrupt:
            console.print("[yellow]cancelled[/yellow]")
        except Exception as exc:  # e.g. /history while the thread store's server is down
            console.print(f"that failed: {exc}", style="red", markup=False)
    logs.flush()
    console.print(f"bye — resume with: agentroute chat --thread {thread}")


def _command(command: str, agent: Any, thread: str, last: Any, session_cost: float) -> None:
    if command == "/trace":
        from agentroute.observability import format_trace

        for text in format_trace(last.trace) if last else ["no turn yet"]:
            console.print(text, markup=False)
    elif command == "/cost":
        turn = last.cost_usd if last else 0.0
        console.print(f"last turn ${turn:.6f}; this session ${session_cost:.6f}")
    elif command == "/targets":
        print_targets(*target_listing(agent))
    elif command == "/policy":
        console.print(agent.policy_summary(), markup=False)
    elif command == "/route":
        if not last or not last.steps:
            console.print("no route yet: the last turn asked no target" if last else "no turn yet")
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
        earlier = agent.history(thread)
        if not earlier:
            console.print(f"no turns yet in thread {thread}", markup=False)
        for request, answer in earlier:
            console.print(f"you> {request}\n{answer}\n", markup=False)
    else:
        import difflib

        near = difflib.get_close_matches(command, sorted(_COMMANDS), n=1)
        hint = f"did you mean {near[0]}? " if near else ""
        console.print(f"unknown command {command}; {hint}/help lists them", markup=False)
