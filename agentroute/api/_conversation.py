"""Which thread a request continues, and what it does there: start a turn, finish one whose
worker died, answer an approval, or give back a turn already run (a client's retry).

The thread is the conversation. With an explicit id (header ``X-Agentroute-Thread`` or
``metadata.thread_id``) the request continues that thread. Without one, the id is derived
from the conversation itself: ``chat-`` + a hash of the system text and the requests up to
the one that opened the thread, so a client that resends the whole history lands on the
same thread, and the same request resent (a retry) lands on the turn it already started.
A conversation whose history no longer matches its thread (two clients that began alike
and went apart, or an edited message) continues on a new thread derived from its own
history, started from the checkpoint where the two were the same.

Every decision is taken holding the thread's lock (``_locks``), after reading the thread
again: two workers never run turns of one thread at once, and a retry that arrives while
its first attempt still runs waits, then gets that attempt's answer instead of a second run.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from agentroute._agent import Agent
from agentroute.api._errors import ApiError
from agentroute.api._messages import Conversation, approval_reply
from agentroute.turn._locks import ThreadLocks
from agentroute.turn._result import TurnResult
from agentroute.turn._snapshot import ThreadSnapshot

__all__ = ["Conversations", "Outcome", "derive_thread"]

How = Literal["new", "continued", "approved", "refused", "replayed"]


@dataclass
class Outcome:
    """What a request got: the turn's result, the thread, and how it came about."""

    result: TurnResult
    thread: str
    how: How
    forked_from: str | None = None
    resumed_at: str | None = None
    """A dead worker's turn finished here: the node it went on from (its last checkpoint)."""
    refused: list[dict[str, Any]] = field(default_factory=list)
    """Calls left waiting for approval that this request refused by asking something else."""


def derive_thread(system: str, requests: list[str]) -> str:
    """``chat-<hash>`` of the system text and the requests up to the thread's first."""
    digest = hashlib.sha256(json.dumps([system, *requests]).encode()).hexdigest()
    return "chat-" + digest[:24]


def _same(sent: list[str], kept: list[str]) -> bool:
    """The requests a client sent are the thread's: the thread keeps only its last turns (20),
    so a longer conversation is compared on what it kept."""
    if len(sent) == len(kept):
        return sent == kept
    return len(kept) >= 20 and len(sent) > len(kept) and sent[-len(kept) :] == kept


@dataclass
class _Plan:
    action: Literal["new", "continue", "answer", "refuse_then_new", "replay", "replay_past"]
    approved: bool | None = None
    turn: int = 0  # replay_past: the 1-based turn of the thread


def _decide(snap: ThreadSnapshot, sent: list[str], request: str, explicit: bool) -> _Plan | None:
    """What ``request`` does on the thread ``snap``, given the requests the client sent before
    it; ``None``: this conversation is not the thread's."""
    kept = snap.requests
    if explicit and not sent:  # a client that sends only its new message continues the thread
        sent = kept + ([snap.request] if snap.pending is not None and snap.request else [])
    if snap.pending is not None and snap.request is not None:
        if _same(sent, [*kept, snap.request]):  # the client holds the approval prompt
            said = approval_reply(request)
            if said is None:
                return _Plan("refuse_then_new")
            return _Plan("answer", approved=said)
        if _same(sent, kept) and request == snap.request:  # the asking request, sent again
            return _Plan("replay")
        if _same(sent, kept):
            return _Plan("refuse_then_new")
    if snap.unfinished and _same(sent, kept) and request == snap.request:
        return _Plan("continue")
    if _same(sent, kept):
        return _Plan("new")
    asked = [*sent, request]
    if len(asked) <= len(kept) and kept[: len(asked)] == asked:  # a turn it already ran
        return _Plan("replay" if len(asked) == len(kept) else "replay_past", turn=len(asked))
    return None


class Conversations:
    """Turns of an agent's threads, one at a time per thread across every worker."""

    def __init__(self, agent: Agent, locks: ThreadLocks, wait_s: float) -> None:
        self.agent = agent
        self.locks = locks
        self.wait_s = wait_s

    async def complete(
        self,
        conversation: Conversation,
        thread: str | None,
        on_update: Callable[[str, dict[str, Any]], None] | None = None,
        *,
        approval: bool = False,
    ) -> Outcome:
        """The turn ``conversation`` asks for on ``thread`` (``None``: the thread derived from
        the conversation). ``approval``: the request only answers a pending approval (an error
        when the thread has none)."""
        sent = conversation.requests()
        request = conversation.request
        if thread is not None:
            async with self.locks.hold(thread, self.wait_s):
                snap = await self.agent.athread(thread)
                if approval and snap.pending is None:
                    raise ApiError(
                        409,
                        f"thread {thread!r} has no call waiting for approval",
                        code="no_pending_approval",
                    )
                plan = _decide(snap, sent, request, explicit=True)
                if plan is None:
                    raise ApiError(
                        409,
                        f"the messages sent do not continue thread {thread!r} (it holds "
                        f"{len(snap.requests)} turns); send only the new message, or the "
                        "whole conversation as the thread has it",
                        code="thread_mismatch",
                    )
                return await self._act(plan, snap, request, on_update)
        asked = [*sent, request]
        candidates = [derive_thread(conversation.system, asked[: k + 1]) for k in range(len(asked))]
        last = candidates[-1]
        for _ in range(5):  # a thread may move on while this request waits for it
            for candidate in candidates:
                seen = await self.agent.athread(candidate)  # unlocked: is it this conversation's?
                if (seen.exists and _decide(seen, sent, request, False) is None) or (
                    not seen.exists and candidate != last
                ):
                    continue
                async with self.locks.hold(candidate, self.wait_s):
                    snap = await self.agent.athread(candidate)  # again, now that it is ours
                    if not snap.exists:
                        if candidate != last:
                            continue
                        return await self._fork(candidate, candidates[:-1], conversation, on_update)
                    plan = _decide(snap, sent, request, explicit=False)
                    if plan is not None:
                        return await self._act(plan, snap, request, on_update)
        raise ApiError(409, "the conversation's thread kept changing; retry", code="thread_busy")

    async def _act(
        self,
        plan: _Plan,
        snap: ThreadSnapshot,
        request: str,
        on_update: Callable[[str, dict[str, Any]], None] | None,
    ) -> Outcome:
        agent, thread = self.agent, snap.thread
        if plan.action == "new":
            return Outcome(
                await agent.arun(request, thread=thread, on_update=on_update), thread, "new"
            )
        if plan.action == "continue":
            result = await agent.acontinue(thread, on_update=on_update)
            return Outcome(result, thread, "continued", resumed_at=",".join(snap.next))
        if plan.action == "answer":
            assert plan.approved is not None
            result = await agent.aresume(thread, plan.approved, on_update=on_update)
            return Outcome(result, thread, "approved" if plan.approved else "refused")
        if plan.action == "refuse_then_new":
            refused: list[dict[str, Any]] = []
            pending = snap.pending
            for _ in range(32):  # each ask of the turn, refused in turn
                if pending is None:
                    break
                refused.append(pending)
                pending = (await agent.aresume(thread, False)).pending_approval
            result = await agent.arun(request, thread=thread, on_update=on_update)
            return Outcome(result, thread, "new", refused=refused)
        if plan.action == "replay":
            return Outcome(snap.result(), thread, "replayed")
        ends = await agent.athread_turns(thread)
        ended = [s for s in ends if len(s.history) == plan.turn]
        if not ended:
            raise ApiError(
                409,
                f"turn {plan.turn} of thread {thread!r} is no longer kept",
                code="thread_mismatch",
            )
        return Outcome(ended[0].result(), thread, "replayed")

    async def _fork(
        self,
        thread: str,
        sources: list[str],
        conversation: Conversation,
        on_update: Callable[[str, dict[str, Any]], None] | None,
    ) -> Outcome:
        """A new thread for a conversation no thread holds: started from the checkpoint of an
        earlier thread where its requests were this conversation's (its follow-up context
        kept), else from the history the client sent."""
        sent = conversation.requests()
        seed: ThreadSnapshot | None = None
        origin: str | None = None
        if sent:
            for source in sources:
                for end in await self.agent.athread_turns(source):
                    if end.requests == sent:
                        seed, origin = end, source
                        break
                if seed is not None:
                    break
            if seed is None:
                history = conversation.history()[-20:]
                seed = ThreadSnapshot(thread=thread, exists=False, values={"history": history})
            await self.agent.aseed_thread(thread, seed)
        result = await self.agent.arun(conversation.request, thread=thread, on_update=on_update)
        return Outcome(result, thread, "new", forked_from=origin)
