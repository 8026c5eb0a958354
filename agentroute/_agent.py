"""``Agent``: targets, planner, policy and memory wired into one turn graph.

Everything runs on the agent's private event loop (see ``_runtime``), so MCP sessions stay
open across turns and the sync ``run`` is as parallel as ``arun``.
"""

from __future__ import annotations

import asyncio
import time
import uuid
import weakref
from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

import structlog
from langgraph.types import Command

from agentroute._log import get_logger, placeholder_in_use
from agentroute._postgres import PostgresServer
from agentroute._runtime import LoopThread, release_memory, resume_collection
from agentroute.build import (
    AgentParts,
    ToolFollower,
    collect_targets,
    make_gate,
    make_index,
    make_planner,
    make_reader,
    needs_index,
    parts_from_config,
    probe_health,
    shortlist_index,
)
from agentroute.embeddings._base import Embedder
from agentroute.observability._tracing import span
from agentroute.protocols import Gate, Memory, ModelRouter, Planner, Target
from agentroute.targets._index import ScoredTarget
from agentroute.turn._decide import hidden_by_policy
from agentroute.turn._feedback import teach_routers
from agentroute.turn._locks import ThreadLocks
from agentroute.turn._result import TurnResult, turn_result
from agentroute.turn._shortlist import ranked
from agentroute.turn._snapshot import ThreadSnapshot, thread_snapshot
from agentroute.turn._state import Budget, TurnContext, new_turn
from agentroute.turn._telemetry import count_turn, count_turn_error, end_turn
from agentroute.turn._threads import open_thread_store
from agentroute.turn._turn import build_turn_graph
from agentroute.types import Health, TargetDescriptor, TargetKind

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

__all__ = ["Agent", "UpdateCallback"]

log = get_logger(__name__)

UpdateCallback = Callable[[str, dict[str, Any]], None]
"""Called with (node name, the node's state update) as a turn progresses."""

THREAD_WAIT_S = 600.0
"""The longest a turn waits for another process's turn of its thread (a chat left at an
approval prompt holds none: its turn has returned)."""


class Agent:
    """A router over expert models, MCP tools and knowledge bases.

    ``planner`` is a ``Planner``, a LangChain chat model (an LLM planner with the semantic
    planner as fallback) or ``None`` (the semantic planner). ``policy`` is a gate or policy
    file paths; with none, read-only calls pass and a tool that may write waits for a human's
    yes (``result.pending_approval``, then ``resume``), and the trace says which default decided. ``threads`` is where
    chat threads live: a SQLite file, a Postgres server (a ``postgresql://`` URL or an
    ``agentroute._postgres.PostgresServer``), or ``None``, in memory. ``outcomes`` (an
    ``agentroute.routing.OutcomeStore``) keeps what ``feedback`` teaches the model router.
    ``index_cache`` is a SQLite file keeping the targets' embedded descriptions across
    restarts (with hundreds of tools, embedding them is most of the start-up).
    ``warm_spares=False`` overrides every spec's ``warm_spare``: a one-shot run would never
    restart a server, so a spare would only be an idle process started and killed for nothing.
    """

    def __init__(
        self,
        *,
        name: str = "agentroute",
        targets: Sequence[Target] = (),
        mcp: Sequence[Any] = (),
        planner: Planner | BaseChatModel | None = None,
        policy: Gate | str | Path | Sequence[str | Path] | None = None,
        memory: Memory | None = None,
        model_router: ModelRouter | None = None,
        answer_model: BaseChatModel | None = None,
        embedder: Embedder | None = None,
        budget: Budget | None = None,
        max_rounds: int = 3,
        step_timeout_s: float = 30.0,
        threshold: float | None = None,
        threads: str | Path | PostgresServer | None = None,
        checkpoint: bool = True,
        outcomes: Any = None,
        shortlist: int = 20,
        index_cache: str | Path | None = None,
        warm_spares: bool = True,
    ) -> None:
        if not structlog.is_configured() or placeholder_in_use():  # the program's own: kept
            from agentroute.observability import configure_logging

            configure_logging()
        self.name = name
        self._static_targets = list(targets)
        if not warm_spares:
            mcp = [spec.model_copy(update={"warm_spare": False}) for spec in mcp]
        self._mcp_specs = list(mcp)
        self._planner_arg = planner
        self._policy_arg = policy
        _policy_files_exist(policy)
        self._memory = memory
        self._model_router = model_router
        self._answer_model = answer_model
        self._embedder = embedder
        self._budget = budget or Budget()
        self._max_rounds = max_rounds
        self._step_timeout_s = step_timeout_s
        self._threshold = threshold
        self._threads = _thread_store(threads)
        self._checkpoint = checkpoint
        self._loop = LoopThread(f"agentroute-{name}")
        self._hub: Any = None
        self._follower: ToolFollower | None = None
        self._saver: Any = None
        self._conn: Any = None
        self._graph: Any = None
        self._runtime: TurnContext | None = None
        self._started = False
        self._closed = False
        self.last_result: TurnResult | None = None
        self._recent: dict[str, TurnResult] = {}
        self._thread_locks: weakref.WeakValueDictionary[str, asyncio.Lock] = (
            weakref.WeakValueDictionary()
        )
        """A lock per chat thread with a turn running here (gone with its last turn)."""
        self._file_locks: ThreadLocks | None = None
        """The same, across processes sharing the SQLite thread file (``_held_elsewhere``)."""
        self._outcomes = outcomes
        self._shortlist = shortlist
        self._index_cache = Path(index_cache) if index_cache else None
        self.index: Any = None
        self._owned: list[Any] = []
        """What the agent opened for itself (``Agent.default``'s case bank, outcome store):
        closed with it, so another agent in this process can open them again. What a caller
        passes in stays the caller's to close."""

    # -- construction --------------------------------------------------------------------

    @classmethod
    def default(cls, data_dir: str | Path = ".agentroute", **overrides: Any) -> Agent:
        """The embedded default: offline, no key, the project's own experts and knowledge."""
        from agentroute.config import Config

        config = Config()
        config.agent.data_dir = Path(data_dir)
        return cls._from_parts(parts_from_config(config, **overrides))

    @classmethod
    def from_config(
        cls, path: str | Path, *, data_dir: str | Path | None = None, **overrides: Any
    ) -> Agent:
        """Build from ``agentroute.toml`` (raises ``ConfigError`` with file, line and field);
        ``data_dir`` replaces the file's ``[agent] data_dir`` (the CLI's ``--data-dir``)."""
        from agentroute.config import load_config

        config = load_config(path)
        if data_dir is not None:
            config.agent.data_dir = Path(data_dir)
        return cls._from_parts(parts_from_config(config, **overrides))

    @classmethod
    def _from_parts(cls, parts: AgentParts) -> Agent:
        """An agent of ``parts`` (see ``agentroute.build``), owning what was opened for it."""
        try:
            agent = cls(**parts.kwargs)
        except BaseException:  # a bad override: the bank's lock must not outlive the failure
            parts.close()
            raise
        agent._owned.extend(parts.owned)
        return agent

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> Agent:
        """Spawn MCP servers, index targets, open the thread store. Idempotent."""
        if not self._started:
            self._loop.run(self._astart())
        return self

    async def astart(self) -> Agent:
        if not self._started:
            await self._loop.arun(self._astart())
        return self

    async def _astart(self) -> None:
        if self._started:
            return
        if self._closed:
            raise RuntimeError("this agent is closed")
        self._hub, targets = await collect_targets(self._mcp_specs, self._static_targets)
        try:
            if self.index is None and needs_index(self._planner_arg, targets, self._shortlist):
                self.index = make_index(lambda: self.embedder, targets, self._index_cache)
            planner = make_planner(self._planner_arg, self.index, self._threshold, targets)
            gate = make_gate(self._policy_arg, targets, self.name)
            if self._checkpoint:  # a thread store that cannot open (its server down) too
                self._saver, self._conn = await open_thread_store(self._threads)
        except BaseException:  # e.g. a policy that does not fit the tools: no orphan servers
            if self._hub is not None:
                await self._hub.aclose()
                self._hub = None
            raise
        self._runtime = TurnContext(
            targets=targets,
            planner=planner,
            gate=gate,
            memory=self._memory,
            model_router=self._model_router,
            answer_model=self._answer_model,
            namespace=self.name,
            max_rounds=self._max_rounds,
            step_timeout_s=self._step_timeout_s,
            budget=self._budget,
            index=shortlist_index(self.index, targets, self._shortlist),
            shortlist=self._shortlist,
            reader=make_reader(self.index, targets),
        )
        self._follower = ToolFollower.attach(self._hub, self._runtime.targets, self.index)
        self._graph = build_turn_graph(checkpointer=self._saver)
        self._started = True
        release_memory()
        resume_collection()
        log.info("agent.started", agent=self.name, targets=sorted(targets))

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            from agentroute.embeddings import default_embedder

            self._embedder = default_embedder()
        return self._embedder

    def close(self) -> None:
        """Stop MCP servers (no orphans), close the thread store, the loop and what the agent
        opened for itself (the case bank's lock is released here)."""
        if self._closed:
            return
        if self._started:
            try:
                self._loop.run(self._aclose(), timeout=30)
            except Exception as exc:
                log.warning("agent.close_failed", error=repr(exc))
        self._closed = True
        self._loop.stop()
        while self._owned:
            resource = self._owned.pop()
            try:
                resource.close()
            except Exception as exc:
                log.warning("agent.close_failed", resource=type(resource).__name__, error=repr(exc))

    async def aclose(self) -> None:
        if self._started and not self._closed:
            await self._loop.arun(self._aclose())
        self.close()

    async def _aclose(self) -> None:
        if self._hub is not None:
            await self._hub.aclose()
            self._hub = None
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
        self._started = False

    def __enter__(self) -> Agent:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Agent:
        return await self.astart()

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # -- turns ---------------------------------------------------------------------------

    def run(
        self, request: str, *, thread: str | None = None, on_update: UpdateCallback | None = None
    ) -> TurnResult:
        """One turn, synchronously."""
        self.start()
        return self._loop.run(self._turn({"request": _readable(request)}, thread, on_update))

    async def arun(
        self, request: str, *, thread: str | None = None, on_update: UpdateCallback | None = None
    ) -> TurnResult:
        await self.astart()
        turn = self._turn({"request": _readable(request)}, thread, on_update)
        return await self._loop.arun(turn)

    def resume(
        self, thread: str, approved: bool, *, on_update: UpdateCallback | None = None
    ) -> TurnResult:
        """Answer a pending ``ask`` of the policy (``result.pending_approval``) and go on."""
        self.start()
        return self._loop.run(self._turn(Command(resume=approved), thread, on_update))

    async def aresume(
        self, thread: str, approved: bool, *, on_update: UpdateCallback | None = None
    ) -> TurnResult:
        await self.astart()
        return await self._loop.arun(self._turn(Command(resume=approved), thread, on_update))

    async def acontinue(
        self, thread: str, *, on_update: UpdateCallback | None = None
    ) -> TurnResult:
        """Finish the thread's unfinished turn (its process died mid-turn) from its last
        checkpoint: the nodes that had finished are not run again."""
        await self.astart()
        return await self._loop.arun(self._turn(None, thread, on_update))

    async def _turn(
        self,
        request: dict[str, Any] | Command | None,
        thread: str | None,
        on_update: UpdateCallback | None,
    ) -> TurnResult:
        """One turn of ``thread``, after the turns of it already running here: two at once
        would both continue from the same checkpoint, and the later write would drop the
        other turn from the thread."""
        thread = thread or uuid.uuid4().hex[:12]
        lock = self._thread_locks.get(thread)
        if lock is None:
            lock = self._thread_locks[thread] = asyncio.Lock()
        attributes = {
            "agentroute.agent": self.name,
            "agentroute.thread": thread,
            "agentroute.resumed": not isinstance(request, dict),
        }
        async with lock, self._held_elsewhere(thread):
            started = time.perf_counter()
            with span("agentroute.turn", attributes) as current:
                try:
                    result = await self._graph_turn(request, thread, on_update)
                except Exception:
                    count_turn_error(time.perf_counter() - started)
                    raise
                end_turn(current, result)
            count_turn(result)
            return result

    def _held_elsewhere(self, thread: str) -> AbstractAsyncContextManager[None]:
        """The thread's lock across processes on one SQLite file (two chats on one
        ``--thread``, a ``run --thread`` beside a chat): each turn waits for the other's
        (up to ``THREAD_WAIT_S``), as it would here. Postgres and memory threads take none."""
        if not self._checkpoint or not isinstance(self._threads, Path):
            return nullcontext()
        if self._file_locks is None:
            self._file_locks = ThreadLocks(self._threads.parent / "thread-locks")
        return self._file_locks.hold(thread, THREAD_WAIT_S)

    async def _graph_turn(
        self,
        request: dict[str, Any] | Command | None,
        thread: str,
        on_update: UpdateCallback | None,
    ) -> TurnResult:
        config = _thread_config(thread)
        if isinstance(request, dict):
            graph_input: Any = new_turn(
                request["request"], session=thread, turn_id=uuid.uuid4().hex[:12]
            )
        else:
            graph_input = request
        started = time.perf_counter()
        pending: dict[str, Any] | None = None
        state: dict[str, Any] = {}
        if on_update is None and self._saver is None:
            state = await self._graph.ainvoke(graph_input, config, context=self._runtime)
        else:
            async for chunk in self._graph.astream(
                graph_input, config, context=self._runtime, stream_mode="updates"
            ):
                for node, update in chunk.items():
                    if node == "__interrupt__":
                        pending = update[0].value if update else None
                    elif on_update is not None and isinstance(update, dict):
                        on_update(node, update)
            state = (await self._graph.aget_state(config)).values if self._saver else {}
        if isinstance(state, dict) and "__interrupt__" in state:
            pending = state["__interrupt__"][0].value
        result = turn_result(state, latency_s=time.perf_counter() - started, pending=pending)
        self.last_result = result
        self._recent[result.turn_id] = result
        while len(self._recent) > 256:  # feedback comes soon after a turn, or not at all
            self._recent.pop(next(iter(self._recent)))
        log.info(
            "turn.done",
            thread=thread,
            turn=result.turn_id,
            steps=len(result.steps),
            cost_usd=round(result.cost_usd, 6),
            latency_s=round(result.latency_s, 4),
            pending=pending is not None,
        )
        return result

    # -- inspection ----------------------------------------------------------------------

    def targets(self) -> list[TargetDescriptor]:
        self.start()
        assert self._runtime is not None
        return [t.descriptor for t in list(self._runtime.targets.values())]

    def policy_summary(self) -> str:
        """What gates this agent's calls, in one line: the policy files and their version, or
        the no-policy default with the tools that will ask first (what chat shows)."""
        self.start()
        assert self._runtime is not None
        gate = self._runtime.gate
        describe = getattr(gate, "describe", None)
        said = describe() if callable(describe) else f"gate {type(gate).__name__}"
        hidden = hidden_by_policy(gate, self._runtime.targets)
        return said + (f"; never planned: {', '.join(hidden)}" if hidden else "")

    def find_targets(
        self, text: str, k: int = 5, kinds: set[TargetKind] | None = None
    ) -> list[ScoredTarget]:
        """The ``k`` targets that fit ``text`` best, as a turn ranks them (past cases too)."""
        self.start()
        assert self._runtime is not None
        if self.index is None:
            self.index = make_index(lambda: self.embedder, self._runtime.targets, self._index_cache)
        return ranked(self.index, text, k=k, kinds=kinds, memory=self._memory, namespace=self.name)

    def health(self) -> dict[str, Health]:
        """Health of every target (MCP servers are probed; experts are not called)."""
        self.start()
        assert self._runtime is not None
        return self._loop.run(probe_health(self._runtime.targets))

    def servers(self) -> dict[str, Health]:
        """Health of every MCP server, including one that is down and so has no tools yet."""
        self.start()
        return self._hub.health() if self._hub is not None else {}

    def history(self, thread: str) -> list[tuple[str, str]]:
        """(request, answer) pairs of a chat thread, from the thread store."""
        self.start()
        if self._saver is None:
            return []

        async def get() -> list[tuple[str, str]]:
            snapshot = await self._graph.aget_state({"configurable": {"thread_id": thread}})
            return [tuple(p) for p in snapshot.values.get("history", [])]  # type: ignore[misc]

        return self._loop.run(get())

    async def athread(self, thread: str) -> ThreadSnapshot:
        """The thread's last checkpoint (``exists=False`` for a thread never seen)."""
        await self.astart()
        if self._saver is None:
            return ThreadSnapshot(thread=thread, exists=False)
        state = await self._loop.arun(self._graph.aget_state(_thread_config(thread)))
        return thread_snapshot(thread, state)

    async def athread_turns(self, thread: str, *, scan: int = 4000) -> list[ThreadSnapshot]:
        """The checkpoints that end each turn of the thread, newest first (among its last
        ``scan`` checkpoints): to replay an earlier turn, or start a new thread from one."""
        await self.astart()
        if self._saver is None:
            return []

        async def ends() -> list[ThreadSnapshot]:
            found: list[ThreadSnapshot] = []
            config = _thread_config(thread)
            async for state in self._graph.aget_state_history(config, limit=scan):
                values = state.values or {}
                history = values.get("history") or []
                if state.next or not history or history[-1][0] != values.get("request"):
                    continue
                if found and found[-1].turn_id == values.get("turn_id"):
                    continue
                found.append(thread_snapshot(thread, state))
            return found

        return await self._loop.arun(ends())

    async def aseed_thread(self, thread: str, snapshot: ThreadSnapshot) -> None:
        """Start ``thread`` with what ``snapshot`` (another thread's checkpoint) carries to
        its next turn: a conversation that forks keeps its history and follow-up context."""
        await self.astart()
        if self._saver is None:
            return
        update = self._graph.aupdate_state(
            _thread_config(thread), snapshot.carried(), as_node="remember"
        )
        await self._loop.arun(update)

    def feedback(self, turn_id: str, reward: float, *, judge: str = "user") -> bool:
        """Record a verdict on a turn (reward in [0, 1]).

        The case bank updates the turn's case and the cases recalled for it; the model router
        learns one outcome per expert step of the turn, so the next decision already uses it.
        """
        if not 0.0 <= reward <= 1.0:
            raise ValueError(f"reward must be in [0, 1], not {reward}")
        learned = False
        if self._memory is not None and hasattr(self._memory, "feedback"):
            learned = bool(self._memory.feedback(turn_id, reward, judge=judge))
        turn = self._recent.get(turn_id)
        if turn is not None and self._runtime is not None:
            outcomes = teach_routers(turn, reward, self._runtime.targets, self._model_router)
            if self._outcomes is not None:
                for outcome in outcomes:
                    self._outcomes.append(outcome)
            learned = bool(outcomes) or learned
        return learned

    def target_descriptions(self) -> dict[str, str]:
        """``{name: description}`` of the live targets (empty before start)."""
        if self._runtime is None:
            return {}
        return {n: t.descriptor.description for n, t in list(self._runtime.targets.items())}


def _thread_store(threads: str | Path | PostgresServer | None) -> Path | PostgresServer | None:
    """Where ``Agent(threads=...)`` keeps chat threads: a Postgres URL names a server."""
    if isinstance(threads, str) and threads.startswith(("postgresql://", "postgres://")):
        return PostgresServer(url=threads, setting="Agent(threads=...)")
    if isinstance(threads, PostgresServer):
        return threads
    return Path(threads) if threads else None


def _thread_config(thread: str) -> dict[str, Any]:
    return {"configurable": {"thread_id": thread}}


def _policy_files_exist(policy: object) -> None:
    """A policy file that is not there is named now, as our error, not as a bare
    FileNotFoundError from deep inside ``start()``."""
    files = [policy] if isinstance(policy, str | Path) else policy
    if not isinstance(files, list | tuple):
        return  # None (the safe default) or a gate object
    for file in files:
        if not Path(file).is_file():
            from agentroute.policy._errors import PolicyError

            raise PolicyError(
                f"no such policy file: {file} (a relative path is read from {Path.cwd()})"
            )


def _readable(request: str) -> str:
    """``request`` as text a tokenizer takes: bytes that were not UTF-8 (a terminal's or a
    pipe's, carried by Python as lone surrogates) become U+FFFD; they failed the whole turn
    with the tokenizer's ``TypeError``."""
    try:
        request.encode("utf-8")
        return request
    except UnicodeEncodeError:
        pass
    try:
        return request.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate no byte stands for (JSON's "\ud800")
        return request.encode("utf-8", "replace").decode("utf-8")
