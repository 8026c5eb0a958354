from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

__all__ = ["ScriptedChatModel"]

Responder = Callable[[Sequence[BaseMessage]], str]


class ScriptedChatModel(BaseChatModel):
    """Answers with scripted replies, in order, or from a function of the messages.

    ``calls`` records every prompt it saw, so a test can count planner calls.
    """

    replies: list[str] = Field(default_factory=list)
    responder: Responder | None = None
    repeat_last: bool = True
    calls: list[list[BaseMessage]] = Field(default_factory=list)
    tokens_per_reply: int = 10

    @property
    def _llm_type(self) -> str:
        return "agentroute-scripted"

    def _next_reply(self, messages: Sequence[BaseMessage]) -> str:
        self.calls.append(list(messages))
        if self.responder is not None:
            return self.responder(messages)
        index = len(self.calls) - 1
        if index < len(self.replies):
            return self.replies[index]
        if self.repeat_last and self.replies:
            return self.replies[-1]
        raise RuntimeError("ScriptedChatModel ran out of replies")

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        text = self._next_reply(messages)
        prompt_tokens = sum(len(str(m.content).split()) for m in messages)
        message = AIMessage(
            content=text,
            usage_metadata={
                "input_tokens": prompt_tokens,
                "output_tokens": self.tokens_per_reply,
                "total_tokens": prompt_tokens + self.tokens_per_reply,
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])
