"""Recorded planning replies: record a real model's answers once, replay them deterministically.

The LLM planner's repair and fallback logic has to be measured on what a real model writes,
but a local model takes 10-100 s a plan on a 2-core machine. So its replies are recorded once
(``Recorder``, a LangChain callback on the real chat model) into a JSONL file, and the
benchmark replays them (``Replay``, the function of a ``FunctionChatModel``) keyed by the hash
of the prompt's conversation: the request and any re-ask exchange, with the thread's earlier
turns and the turn's earlier rounds reduced to their headings (their answers and tool results
differ from run to run).
The system message (the shortlist of targets) is left out of the key, so a reworded target
description does not orphan a recording; its hash is kept to count exact matches.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import BaseMessage, SystemMessage
from langchain_core.outputs import LLMResult

__all__ = ["Recorder", "Replay", "conversation", "conversation_key", "prompt_key", "system_key"]


def _digest(parts: Sequence[Any]) -> str:
    text = json.dumps(parts, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _context_free(text: str) -> str:
    """``text`` with each context block ("Earlier in this conversation ...", "Earlier rounds of
    this turn ...") cut to its heading: the key then holds that there was context, not what it
    said (an earlier answer or a tool's result may differ from run to run)."""
    return "\n\n".join(
        block.split("\n", 1)[0] if block.startswith("Earlier ") else block
        for block in text.split("\n\n")
    )


def conversation(messages: Sequence[BaseMessage]) -> list[list[str]]:
    """The prompt without its system message, as ``[type, text]`` pairs."""
    return [[m.type, str(m.content)] for m in messages if not isinstance(m, SystemMessage)]


def conversation_key(pairs: Sequence[Sequence[str]]) -> str:
    return _digest([[kind, _context_free(text)] for kind, text in pairs])


def prompt_key(messages: Sequence[BaseMessage]) -> str:
    """What a reply is keyed by: the conversation without its system message, and of any
    context block only its heading."""
    return conversation_key(conversation(messages))


def system_key(messages: Sequence[BaseMessage]) -> str:
    return _digest([str(m.content) for m in messages if isinstance(m, SystemMessage)])


class Recorder(BaseCallbackHandler):
    """Appends every prompt/reply pair of a chat model to ``path`` as one JSON line."""

    def __init__(self, path: Path, settings: dict[str, Any]) -> None:
        self.path = path
        self.settings = settings
        self.tag: dict[str, Any] = {}
        """What the benchmark is running now (request id, split), written with each reply."""
        self._open: dict[UUID, tuple[list[BaseMessage], float]] = {}
        self._lock = threading.Lock()
        self.count = 0

    def on_chat_model_start(
        self,
        serialized: dict[str, Any],
        messages: list[list[BaseMessage]],
        *,
        run_id: UUID,
        **kwargs: Any,
    ) -> None:
        self._open[run_id] = (messages[0], time.perf_counter())

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, **kwargs: Any) -> None:
        messages, started = self._open.pop(run_id, ([], time.perf_counter()))
        reply = response.generations[0][0].text if response.generations else ""
        self._write(messages, reply, started, None)

    def on_llm_error(self, error: BaseException, *, run_id: UUID, **kwargs: Any) -> None:
        messages, started = self._open.pop(run_id, ([], time.perf_counter()))
        self._write(messages, None, started, f"{type(error).__name__}: {error}"[:300])

    def _write(
        self, messages: list[BaseMessage], reply: str | None, started: float, error: str | None
    ) -> None:
        row = {
            **self.tag,
            "key": prompt_key(messages),
            "system": system_key(messages),
            "prompt": str(messages[-1].content)[:2000] if messages else "",
            "conversation": conversation(messages),
            "reply": reply,
            "error": error,
            "seconds": round(time.perf_counter() - started, 2),
            **self.settings,
        }
        with self._lock, self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            self.count += 1


def _row_key(row: dict[str, Any]) -> str:
    """A recorded row's key under today's ``prompt_key``: from its conversation, else (rows
    recorded before conversations were kept) from its prompt when that was a first ask, else
    the key it was recorded with."""
    if "conversation" in row:
        return conversation_key(row["conversation"])
    prompt = str(row.get("prompt", ""))
    if prompt.startswith(("Request: ", "Earlier in this conversation")):
        return conversation_key([["human", prompt]])
    return str(row["key"])


class Replay:
    """Answers a planning prompt with its recorded reply; raises for a prompt never recorded
    or one whose recording only failed (the planner then falls back, as it would have live;
    a call the server refused for its ``response_format`` is not replayed: the replayed model
    is asked in the prompt form, its retry's reply is)."""

    def __init__(self, path: Path) -> None:
        self.replies: dict[str, dict[str, Any]] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                key = _row_key(row)
                old = self.replies.get(key)
                if old is None or (old.get("reply") is None and row.get("reply") is not None):
                    self.replies[key] = row  # the first reply wins over a failed call
        self.hits = 0
        self.misses = 0
        self.exact = 0

    def __call__(self, messages: list[BaseMessage]) -> str:
        row = self.replies.get(prompt_key(messages))
        if row is None:
            self.misses += 1
            raise LookupError("no recorded reply for this prompt")
        self.hits += 1
        self.exact += row.get("system") == system_key(messages)
        if row.get("reply") is None:
            raise RuntimeError(f"the recorded call failed: {row.get('error')}")
        return str(row["reply"])
