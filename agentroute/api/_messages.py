"""An OpenAI chat-completions request, checked, and the conversation it carries.

The agent answers one request per turn; the messages before the last user message are the
conversation so far, which finds the thread (``_conversation``). Text content only: a part
that is not text, a tool message or an assistant message without content is refused by name.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agentroute.api._errors import ApiError

__all__ = ["APPROVAL_MARK", "ChatRequest", "Conversation", "approval_reply", "parse_request"]

APPROVAL_MARK = "Approval needed:"
"""How the text of an answer that waits for a human's yes begins (``_responses``): a reply to
it is read as that yes or no."""


class _Part(BaseModel):
    model_config = ConfigDict(extra="allow")
    type: str
    text: str | None = None


class Message(BaseModel):
    model_config = ConfigDict(extra="allow")
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[_Part] | None = None


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="allow")
    include_usage: bool = False


class ChatRequest(BaseModel):
    """The fields this server reads; OpenAI's sampling fields are accepted and ignored (the
    agent's experts have their own settings)."""

    model_config = ConfigDict(extra="allow")
    model: str
    messages: list[Message] = Field(min_length=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    n: int = 1
    user: str | None = None
    metadata: dict[str, str] | None = None


def parse_request(body: bytes) -> ChatRequest:
    """The request, or a 400 naming the field (``messages.2.role: Input should be ...``)."""
    try:
        raw = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApiError(400, f"the request body is not JSON: {exc}") from None
    if not isinstance(raw, dict):
        raise ApiError(400, "the request body must be a JSON object")
    try:
        request = ChatRequest.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ApiError(400, f"{where}: {first['msg']}", param=where) from None
    if request.n != 1:
        raise ApiError(400, "n: only one choice per request is supported", param="n")
    return request


def _text(message: Message, index: int) -> str:
    if message.content is None:
        raise ApiError(
            400,
            f"messages.{index}.content: a {message.role} message needs text content",
            param=f"messages.{index}.content",
        )
    if isinstance(message.content, str):
        return message.content
    texts: list[str] = []
    for at, part in enumerate(message.content):
        if part.type != "text" or part.text is None:
            where = f"messages.{index}.content.{at}"
            raise ApiError(
                400, f"{where}: only text parts are supported, not {part.type!r}", param=where
            )
        texts.append(part.text)
    return "\n".join(texts)


@dataclass
class Conversation:
    """``system``: the system and developer messages; ``exchanges``: the (user, assistant)
    pairs before the last user message, as the client sent them; ``request``: that message."""

    system: str
    exchanges: list[tuple[str, str]] = field(default_factory=list)
    request: str = ""

    @property
    def replies_to_approval(self) -> bool:
        """The last answer the client holds waits for a human's yes: ``request`` answers it."""
        return bool(self.exchanges) and self.exchanges[-1][1].lstrip().startswith(APPROVAL_MARK)

    def history(self) -> list[tuple[str, str]]:
        """The turns so far as the thread keeps them, (request, answer): a yes or no given to
        an approval prompt is part of the turn that asked (its answer the one that came
        after), not a turn of its own."""
        kept: list[tuple[str, str]] = []
        for at, (user, answer) in enumerate(self.exchanges):
            after_prompt = at > 0 and self.exchanges[at - 1][1].lstrip().startswith(APPROVAL_MARK)
            if after_prompt and kept and approval_reply(user) is not None:
                kept[-1] = (kept[-1][0], answer)
                continue
            kept.append((user.strip(), answer))
        return kept

    def requests(self) -> list[str]:
        """The requests of the turns so far (``history``)."""
        return [request for request, _ in self.history()]

    @classmethod
    def of(cls, request: ChatRequest) -> Conversation:
        system: list[str] = []
        turns: list[tuple[str, str]] = []  # (role, text), consecutive roles merged
        for index, message in enumerate(request.messages):
            if message.role in ("system", "developer"):
                system.append(_text(message, index))
                continue
            if message.role in ("tool", "function"):
                raise ApiError(
                    400,
                    f"messages.{index}.role: {message.role!r} messages are not supported "
                    "(the agent calls its own tools)",
                    param=f"messages.{index}.role",
                )
            text = _text(message, index)
            if turns and turns[-1][0] == message.role:
                turns[-1] = (message.role, turns[-1][1] + "\n" + text)
            else:
                turns.append((message.role, text))
        if not turns or turns[-1][0] != "user":
            raise ApiError(400, "messages: the last message must be the user's", param="messages")
        if turns[0][0] != "user":
            raise ApiError(
                400,
                "messages: the conversation must start with a user message",
                param="messages",
            )
        exchanges = [(turns[i][1], turns[i + 1][1]) for i in range(0, len(turns) - 1, 2)]
        request_text = turns[-1][1].strip()
        if not request_text:
            raise ApiError(400, "messages: the last user message is empty", param="messages")
        return cls(system="\n".join(system), exchanges=exchanges, request=request_text)


@cache
def _words() -> dict[str, frozenset[str]]:
    raw = json.loads(resources.files(__package__).joinpath("approval_words.json").read_text())
    return {k: frozenset(v) for k, v in raw.items() if not k.startswith("_")}


def approval_reply(text: str) -> bool | None:
    """``True`` for a yes, ``False`` for a no (``approval_words.json``), else ``None``."""
    said = text.strip().lower().rstrip(".!")
    words = _words()
    if said in words["approve"]:
        return True
    if said in words["refuse"]:
        return False
    return None
