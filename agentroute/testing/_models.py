"""Chat models for tests: a strict script of replies, or a function of the prompt."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field, PrivateAttr

from agentroute.testing._script import Script, prompt_start

__all__ = ["ChatFunction", "FunctionChatModel", "ScriptedChatModel"]

ChatFunction = Callable[[list[BaseMessage]], str]
"""What a ``FunctionChatModel`` calls: the prompt's messages in, the reply's text out."""


class _TextChatModel(BaseChatModel):
    """A chat model that replies with text and a token count, and records every prompt."""

    calls: list[list[BaseMessage]] = Field(default_factory=list)
    """Every prompt it was given, in order: a test counts and reads them."""
    tokens_per_reply: int = 10

    @abstractmethod
    def _reply(self, messages: list[BaseMessage]) -> str:
        """The reply's text for this prompt (the subclass's script or function)."""

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        self.calls.append(list(messages))
        text = self._reply(list(messages))
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


class ScriptedChatModel(_TextChatModel):
    """Replies with ``replies`` in order, one per call, and is strict both ways.

    A call beyond the script raises ``ScriptError`` naming the call and the prompt's start (a
    lenient double that repeated its last reply hid extra calls). Code under test may catch that
    error, so ``assert_consumed()`` raises it again, and raises as well for a reply never asked
    for: end a test with it to check the model was called exactly as scripted.
    """

    replies: list[str] = Field(default_factory=list)
    _script: Script[str] = PrivateAttr()

    def model_post_init(self, context: Any, /) -> None:
        super().model_post_init(context)
        self._script = Script("ScriptedChatModel", self.replies)

    @property
    def _llm_type(self) -> str:
        return "agentroute-scripted"

    def _reply(self, messages: list[BaseMessage]) -> str:
        last = str(messages[-1].content) if messages else ""
        return self._script.next(f"its prompt's last message starts {prompt_start(last)!r}")

    def assert_consumed(self) -> None:
        """Raise ``ScriptError`` unless every reply was used and no call went beyond them."""
        self._script.assert_consumed()


class FunctionChatModel(_TextChatModel):
    """Replies with ``function(messages)``: for a test whose replies depend on the prompt.

    Use it where the number of calls is not the test's to know (a cascade asks as often as the
    routing decides); it may raise, to play a failing model.
    """

    function: ChatFunction

    @property
    def _llm_type(self) -> str:
        return "agentroute-function"

    def _reply(self, messages: list[BaseMessage]) -> str:
        return self.function(messages)
