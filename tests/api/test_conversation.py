"""Which thread a request continues and what it does there, decided from the messages and the
thread's checkpoint alone (the server's end-to-end behaviour is in test_serve_api.py)."""

from __future__ import annotations

import pytest

from agentroute.api import ApiError, derive_thread
from agentroute.api._conversation import _decide
from agentroute.api._messages import Conversation, approval_reply, parse_request
from agentroute.turn._snapshot import ThreadSnapshot


def conversation(*messages: tuple[str, str]) -> Conversation:
    body = {"model": "m", "messages": [{"role": r, "content": c} for r, c in messages]}
    return Conversation.of(parse_request(__import__("json").dumps(body).encode()))


def snap(history: list[tuple[str, str]], **fields: object) -> ThreadSnapshot:
    return ThreadSnapshot(thread="t", exists=True, history=history, **fields)  # type: ignore[arg-type]


def test_the_conversation_is_the_requests_before_the_last() -> None:
    c = conversation(
        ("system", "be brief"),
        ("user", "What is 2 + 2?"),
        ("assistant", "4"),
        ("user", "and"),
        ("user", "times 3?"),
    )
    assert c.system == "be brief"
    assert c.requests() == ["What is 2 + 2?"]
    assert c.request == "and\ntimes 3?"  # consecutive user messages are one request


def test_a_yes_to_an_approval_prompt_belongs_to_the_turn_that_asked() -> None:
    c = conversation(
        ("user", "Convert 5 miles to km"),
        ("assistant", "Approval needed: units.convert wants to run with {}. Reply yes"),
        ("user", "Yes."),
        ("assistant", "5 mi = 8.04672 km"),
        ("user", "What is 3 * 3?"),
    )
    assert c.history() == [("Convert 5 miles to km", "5 mi = 8.04672 km")]
    assert not c.replies_to_approval
    waiting = conversation(
        ("user", "Convert 5 miles to km"),
        ("assistant", "Approval needed: units.convert wants to run with {}. Reply yes"),
        ("user", "no"),
    )
    assert waiting.replies_to_approval and approval_reply(waiting.request) is False
    assert approval_reply("what about 6 miles?") is None


@pytest.mark.parametrize(
    ("messages", "said"),
    [
        ([("assistant", "hi")], "last message must be the user's"),
        ([("assistant", "hi"), ("user", "x")], "must start with a user message"),
        ([("tool", "42"), ("user", "x")], "messages.0.role: 'tool' messages are not supported"),
        ([("user", "   ")], "the last user message is empty"),
    ],
)
def test_a_conversation_the_agent_cannot_hold_is_refused_by_name(
    messages: list[tuple[str, str]], said: str
) -> None:
    with pytest.raises(ApiError) as refused:
        conversation(*messages)
    assert refused.value.status == 400 and said in refused.value.message


def test_a_thread_id_is_stable_and_depends_on_every_request_up_to_it() -> None:
    assert derive_thread("", ["a"]) == derive_thread("", ["a"])
    assert derive_thread("", ["a"]) != derive_thread("sys", ["a"])
    assert derive_thread("", ["a"]) != derive_thread("", ["a", "b"])
    assert derive_thread("", ["a"]).startswith("chat-")


def test_what_a_request_does_on_its_thread() -> None:
    two = snap([("q1", "a1"), ("q2", "a2")], request="q2")
    assert _decide(two, ["q1", "q2"], "q3", explicit=False).action == "new"  # type: ignore[union-attr]
    assert _decide(two, ["q1"], "q2", explicit=False).action == "replay"  # type: ignore[union-attr]
    past = _decide(two, [], "q1", explicit=False)
    assert past is not None and (past.action, past.turn) == ("replay_past", 1)
    assert _decide(two, ["q1"], "other", explicit=False) is None  # the conversations went apart
    assert _decide(two, [], "q3", explicit=True).action == "new"  # type: ignore[union-attr]


def test_a_dead_workers_turn_is_continued_only_by_the_same_request() -> None:
    died = snap([("q1", "a1")], request="q2", unfinished=True, next=("dispatch",))
    assert _decide(died, ["q1"], "q2", explicit=False).action == "continue"  # type: ignore[union-attr]
    assert _decide(died, ["q1"], "q3", explicit=False).action == "new"  # type: ignore[union-attr]


def test_a_pending_approval_is_answered_replayed_or_refused() -> None:
    waiting = snap([("q1", "a1")], request="q2", pending={"call": {}})
    yes = _decide(waiting, ["q1", "q2"], "yes", explicit=False)
    assert yes is not None and (yes.action, yes.approved) == ("answer", True)
    no = _decide(waiting, [], "no", explicit=True)  # an explicit thread: the new message only
    assert no is not None and (no.action, no.approved) == ("answer", False)
    assert _decide(waiting, ["q1"], "q2", explicit=False).action == "replay"  # type: ignore[union-attr]
    assert _decide(waiting, ["q1", "q2"], "q3 instead", explicit=False).action == "refuse_then_new"  # type: ignore[union-attr]


def test_a_long_thread_is_compared_on_the_turns_it_keeps() -> None:
    kept = [(f"q{i}", "a") for i in range(5, 25)]  # a thread keeps its last 20 turns
    long = snap(kept, request="q24")
    sent = [f"q{i}" for i in range(25)]
    assert _decide(long, sent, "q25", explicit=False).action == "new"  # type: ignore[union-attr]
    assert _decide(long, ["x", *sent[1:]], "q25", explicit=False).action == "new"  # type: ignore[union-attr]
