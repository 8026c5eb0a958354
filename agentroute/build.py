"""Turning ``Agent``'s arguments into the parts of a turn: the planner, its index, the gate.

Kept apart from ``_agent`` (the lifecycle and the turn API) because each argument accepts
several forms (a planner or a chat model; a gate or policy files) and each form builds
differently.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import structlog
from langchain_core.language_models.chat_models import BaseChatModel

from agentroute._hooks import AllowAllGate, Gate
from agentroute._records import TargetKind
from agentroute.embeddings._base import Embedder
from agentroute.planning._base import Planner
from agentroute.targets._base import Health, Target
from agentroute.targets._index import TargetIndex
from agentroute.targets._schemas import policy_schemas

if TYPE_CHECKING:
    from agentroute.mcp import McpHub
    from agentroute.mcp._server import McpServer

__all__ = [
    "ToolFollower",
    "collect_targets",
    "make_gate",
    "make_index",
    "make_planner",
    "needs_index",
    "probe_health",
    "shortlist_index",
]

log = structlog.get_logger(__name__)

PlannerArg = Planner | BaseChatModel | None
PolicyArg = Gate | str | Path | Sequence[str | Path] | None


async def collect_targets(
    mcp: Sequence[Any], given: Sequence[Target]
) -> tuple[McpHub | None, dict[str, Target]]:
    """Start the MCP servers (in parallel) and gather every target by name; a target given
    in Python wins over a server's tool of the same name."""
    hub = None
    targets: dict[str, Target] = {}
    if mcp:
        from agentroute.mcp import McpHub

        hub = McpHub(mcp)
        await hub.start()
        targets.update((t.descriptor.name, t) for t in hub.targets())
    targets.update((t.descriptor.name, t) for t in given)
    return hub, targets


async def probe_health(targets: dict[str, Target]) -> dict[str, Health]:
    """Every target's health; a probe that raises is an unhealthy target, not an error."""
    out: dict[str, Health] = {}
    for name, target in list(targets.items()):  # a server's new tools may land meanwhile
        try:
            out[name] = await target.health()
        except Exception as exc:
            out[name] = Health(ok=False, detail=repr(exc))
    return out


def needs_index(planner: PlannerArg, targets: dict[str, Target], shortlist: int) -> bool:
    """An index is built for our planners, and for any planner when the tools overflow the
    shortlist (the planner is then shown only the retrieved ones)."""
    if planner is None or isinstance(planner, BaseChatModel):
        return True
    return 0 < shortlist < _tools(targets)


def make_index(
    embedder: Callable[[], Embedder], targets: dict[str, Target], cache: Path | None = None
) -> TargetIndex:
    """The index over every target; with ``cache``, texts embedded by an earlier run are read
    back from that SQLite file instead of embedded again."""
    from agentroute.targets._vector_cache import TextVectorCache

    vectors = TextVectorCache(cache) if cache is not None else None
    try:
        index = TargetIndex(embedder(), cache=vectors)
        index.add([t.descriptor for t in targets.values()])
    finally:
        if vectors is not None:
            vectors.close()
    index.cache = None
    return index


def make_planner(
    planner: PlannerArg, index: TargetIndex | None, threshold: float | None
) -> Planner:
    """The planner as given, or the semantic planner (behind an LLM planner for a chat model)."""
    if planner is not None and not isinstance(planner, BaseChatModel):
        return planner
    from agentroute.planning import LLMPlanner, SemanticPlanner

    assert index is not None, "our planners need the target index"
    semantic = SemanticPlanner(index, **({"threshold": threshold} if threshold is not None else {}))
    return LLMPlanner(planner, semantic) if isinstance(planner, BaseChatModel) else semantic


def make_gate(policy: PolicyArg, targets: dict[str, Target], agent: str) -> Gate:
    """No policy: allow all (and say so); a gate as given; policy files checked against the
    live tool schemas."""
    if policy is None:
        return AllowAllGate()
    if not isinstance(policy, str | Path | list | tuple):
        return cast(Gate, policy)
    from agentroute.policy import PolicyGate

    files = [policy] if isinstance(policy, str | Path) else list(policy)
    return PolicyGate.from_files(
        [Path(f) for f in files], schemas=policy_schemas(targets), agent=agent
    )


def shortlist_index(index: TargetIndex | None, targets: dict[str, Target], shortlist: int) -> Any:
    """The index the plan node narrows with, only when the tools overflow the shortlist."""
    return index if 0 < shortlist < _tools(targets) else None


def _tools(targets: dict[str, Target]) -> int:
    return sum(t.descriptor.kind is TargetKind.TOOL for t in targets.values())


class ToolFollower:
    """Keeps an agent's targets and index in step with its MCP servers' tool lists.

    A server that was down when the agent started, one restarted with other tools, or one
    announcing ``tools/list_changed`` changes what can be routed to; without this, the agent
    would keep routing over the tools it saw at start-up. Targets given in Python keep their
    names: a server's tool never replaces one. Changes land on the agent's loop thread; readers
    on other threads (or across awaits) iterate over a ``list()`` copy of the targets.
    """

    def __init__(self, hub: McpHub, targets: dict[str, Target], index: TargetIndex | None) -> None:
        self.hub = hub
        self.targets = targets
        self.index = index
        self._lock = asyncio.Lock()
        self._pending: set[asyncio.Task[None]] = set()

    @classmethod
    def attach(
        cls, hub: McpHub | None, targets: dict[str, Target], index: TargetIndex | None
    ) -> ToolFollower | None:
        """A follower listening to every server of ``hub`` (``None`` without servers)."""
        if hub is None:
            return None
        follower = cls(hub, targets, index)
        hub.on_tools_changed(follower)
        return follower

    def __call__(self, server: McpServer) -> None:
        task = asyncio.get_running_loop().create_task(self.apply(server))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def apply(self, server: McpServer) -> None:
        from agentroute.mcp._target import McpToolTarget

        async with self._lock:  # one server's changes at a time, in order
            now = {t.name: t for t in self.hub.targets_of(server)}
            mine = {
                name
                for name, t in self.targets.items()
                if isinstance(t, McpToolTarget) and t.server is server
            }
            removed = sorted(mine - set(now))
            fresh = [
                t
                for name, t in now.items()
                if name not in self.targets
                or (name in mine and self.targets[name].descriptor != t.descriptor)
            ]
            if self.index is not None:
                for name in removed:
                    self.index.remove(name)
                if fresh:  # embedding is CPU work: off the loop that runs turns
                    await asyncio.to_thread(self.index.add, [t.descriptor for t in fresh])
            for name in removed:
                del self.targets[name]
            for target in fresh:
                self.targets[target.name] = target
            log.info(
                "agent.tools_changed",
                server=server.name,
                added=[t.name for t in fresh],
                removed=removed,
                total=len(self.targets),
            )
