"""ReplayChatModel: an expert that answers from recorded outcomes, so the whole agent runs
offline on real model outputs (e.g. RouterBench's recorded responses of 11 LLMs).

A prompt seen in the recording gets that model's recorded response and reports the recorded
cost (``response_metadata["cost_usd"]``) and quality (``response_metadata["replay_quality"]``).
Any other prompt gets the response to the *nearest* recorded prompt, marked as such in
``response_metadata["replay_match"] == "nearest"`` (and, by default, in the text).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import BaseModel, ConfigDict, PrivateAttr

__all__ = ["RecordedAnswer", "ReplayChatModel"]


class RecordedAnswer(BaseModel):
    model_config = ConfigDict(frozen=True)

    prompt: str
    response: str
    cost_usd: float
    quality: float | None = None


def _key(prompt: str) -> str:
    """Match recorded prompts stored as Python list reprs (``"['...']"``) and plain text alike."""
    s = prompt.strip()
    if len(s) >= 4 and s[:2] in ("['", '["') and s[-2:] in ("']", '"]'):
        s = s[2:-2]
    return " ".join(s.replace("\\n", "\n").replace("\\'", "'").split())


def _unwrap(response: str) -> str:
    s = response.strip()
    if len(s) >= 4 and s[:2] in ("['", '["') and s[-2:] in ("']", '"]'):
        s = s[2:-2].replace("\\n", "\n").replace("\\'", "'")
    return s.strip()


class ReplayChatModel(BaseChatModel):
    """Answers with recorded responses of one model (see the module docstring)."""

    model_name: str = "replay"
    mark_nearest: bool = True
    """Prefix a nearest-prompt answer with a visible ``[replay: nearest ...]`` marker."""

    _answers: list[RecordedAnswer] = PrivateAttr(default_factory=list)
    _index: dict[str, int] = PrivateAttr(default_factory=dict)
    _vectors: npt.NDArray[np.float32] | None = PrivateAttr(default=None)

    @classmethod
    def from_answers(
        cls, answers: Sequence[RecordedAnswer], *, model: str = "replay", **kw: Any
    ) -> ReplayChatModel:
        self = cls(model_name=model, **kw)
        self._answers = list(answers)
        self._index = {_key(a.prompt): i for i, a in enumerate(self._answers)}
        if not self._answers:
            raise ValueError(f"no recorded answers for model {model!r}")
        return self

    @classmethod
    def from_csv(
        cls, paths: str | Path | Sequence[str | Path], *, model: str, **kw: Any
    ) -> ReplayChatModel:
        """Load one model's recorded answers from outcome files (RouterBench wide layout or the
        long layout; rows where this model has no score are skipped)."""
        from agentroute.routing._table import load_outcome_table

        table = load_outcome_table(paths, keep_responses=True, drop_incomplete=False)
        if model not in table.models:
            raise ValueError(f"model {model!r} is not in {paths}; it has {table.models}")
        j = table.models.index(model)
        answers = [
            RecordedAnswer(
                prompt=table.queries[i],
                response=_unwrap(table.responses.get((i, j), "")),
                cost_usd=float(table.cost[i, j]) if not np.isnan(table.cost[i, j]) else 0.0,
                quality=float(table.quality[i, j]),
            )
            for i in range(len(table))
            if not np.isnan(table.quality[i, j])
        ]
        return cls.from_answers(answers, model=model, **kw)

    @property
    def _llm_type(self) -> str:
        return "agentroute-replay"

    def lookup(self, prompt: str) -> tuple[RecordedAnswer, str, float]:
        """The recorded answer for ``prompt``: (answer, ``exact`` or ``nearest``, similarity)."""
        i = self._index.get(_key(prompt))
        if i is not None:
            return self._answers[i], "exact", 1.0
        from agentroute.embeddings import NgramHashingEmbedder

        emb = NgramHashingEmbedder(512)
        if self._vectors is None:
            self._vectors = emb.embed([_key(a.prompt)[-2000:] for a in self._answers])
        v = emb.embed([_key(prompt)[-2000:]])[0]
        sims = self._vectors @ v
        k = int(np.argmax(sims))
        return self._answers[k], "nearest", float(sims[k])

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        humans = [m for m in messages if isinstance(m, HumanMessage)]
        prompt = str((humans or messages)[-1].content) if messages else ""
        answer, match, sim = self.lookup(prompt)
        text = answer.response
        if match == "nearest" and self.mark_nearest:
            text = f"[replay: nearest recorded prompt, similarity {sim:.2f}] {text}"
        tokens_in = max(1, len(prompt) // 4)
        tokens_out = max(1, len(answer.response) // 4)
        message = AIMessage(
            content=text,
            response_metadata={
                "model_name": self.model_name,
                "cost_usd": answer.cost_usd,
                "replay_match": match,
                "replay_similarity": sim,
                "replay_quality": answer.quality,
                "replay_prompt": answer.prompt[:200] if match == "nearest" else None,
            },
            usage_metadata={
                "input_tokens": tokens_in,
                "output_tokens": tokens_out,
                "total_tokens": tokens_in + tokens_out,
            },
        )
        return ChatResult(generations=[ChatGeneration(message=message)])
