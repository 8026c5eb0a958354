"""An expert model target: any LangChain chat model plus a descriptor with prices."""

from __future__ import annotations

import time
from typing import Any

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage

from agentroute._log import get_logger
from agentroute.types import Health, Observation, Source, TargetDescriptor, TargetKind

__all__ = ["ChatModelExpert", "estimate_tokens"]

log = get_logger(__name__)

_EXPERT_SYSTEM = (
    "You are an expert answering one sub-question of a larger request. "
    "Answer concisely and factually; say so if you do not know."
)


def estimate_tokens(text: str) -> int:
    """Rough token count (≈ 4 characters a token) for cost estimates before a call."""
    return max(1, len(text) // 4)


class ChatModelExpert:
    """Wraps a ``BaseChatModel`` as a routable target; cost comes from reported usage."""

    def __init__(
        self,
        model: BaseChatModel,
        descriptor: TargetDescriptor,
        *,
        system_prompt: str = _EXPERT_SYSTEM,
        expected_output_tokens: int = 200,
        timeout_s: float | None = None,
    ) -> None:
        if descriptor.kind is not TargetKind.EXPERT:
            descriptor = descriptor.model_copy(update={"kind": TargetKind.EXPERT})
        self.model = model
        self._descriptor = descriptor
        self.system_prompt = system_prompt
        self.expected_output_tokens = expected_output_tokens
        self.timeout_s = timeout_s
        """How long a call may take (``[experts.NAME] timeout_s``): it wins over the agent's
        step timeout, which cut a local model's slow answer off at 30 s (``bounded_invoke``)."""

    @property
    def descriptor(self) -> TargetDescriptor:
        return self._descriptor

    def _price(self, tokens_in: int, tokens_out: int) -> float:
        d = self._descriptor
        return (tokens_in * d.price_in_per_m + tokens_out * d.price_out_per_m) / 1_000_000

    def estimate_cost(self, query: str) -> float:
        return self._price(estimate_tokens(query) + 40, self.expected_output_tokens)

    async def invoke(
        self, step_id: str, query: str, args: dict[str, Any] | None, *, timeout: float
    ) -> Observation:
        name = self._descriptor.name
        messages: list[BaseMessage] = [SystemMessage(self.system_prompt), HumanMessage(query)]
        started = time.perf_counter()
        try:
            reply = await self.model.ainvoke(messages)
        except Exception as exc:  # the step fails, naming where the model was asked
            where = endpoint(self.model)
            log.warning("target.failed", target=name, endpoint=where, error=repr(exc))
            return Observation(
                step_id=step_id,
                target=name,
                kind=TargetKind.EXPERT,
                query=query,
                ok=False,
                error=f"{name} failed: {exc!r}" + (f" (endpoint {where})" if where else ""),
                latency_s=time.perf_counter() - started,
            )
        latency = time.perf_counter() - started
        text = reply.content if isinstance(reply.content, str) else str(reply.content)
        usage = getattr(reply, "usage_metadata", None) or {}
        tokens_in = int(usage.get("input_tokens") or estimate_tokens(query))
        tokens_out = int(usage.get("output_tokens") or estimate_tokens(text))
        meta = getattr(reply, "response_metadata", None) or {}
        cost = meta.get("cost_usd")
        cost_usd = float(cost) if cost is not None else self._price(tokens_in, tokens_out)
        return Observation(
            step_id=step_id,
            target=name,
            kind=TargetKind.EXPERT,
            query=query,
            ok=bool(text.strip()),
            result=text.strip(),
            error=None if text.strip() else f"expert '{name}' returned an empty answer",
            sources=[Source(kind=TargetKind.EXPERT, name=name, ref=meta.get("model_name"))],
            cost_usd=cost_usd,
            latency_s=latency,
            tokens_in=tokens_in,
            tokens_out=tokens_out,
        )

    async def health(self) -> Health:
        return Health(ok=True, detail="not probed (a probe would cost a call)", checked=False)


def endpoint(model: BaseChatModel) -> str:
    """The URL a chat model calls, when its class exposes one (OpenAI-compatible clients do):
    a failed call names it, so "connection error" says which server was not there."""
    for attr in ("openai_api_base", "base_url"):
        value = getattr(model, attr, None)
        if isinstance(value, str) and value:
            return value
    return ""
