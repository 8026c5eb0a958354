"""Build LangChain chat models from short specs: ``openai:<model>``, ``ollama:<model>``, ...

Every provider here speaks the OpenAI API, so one dependency (langchain-openai) covers
OpenAI, any OpenAI-compatible server (vLLM, llama.cpp, LM Studio) and Ollama.
"""

from __future__ import annotations

import os

from langchain_core.language_models.chat_models import BaseChatModel

__all__ = ["make_chat_model"]

_OLLAMA_URL = "http://localhost:11434/v1"


def make_chat_model(
    model: str,
    *,
    base_url: str | None = None,
    api_key_env: str | None = None,
    temperature: float = 0.0,
    timeout_s: float = 60.0,
    max_tokens: int | None = None,
) -> BaseChatModel:
    """``model`` is ``provider:name`` (``openai``, ``ollama``) or a bare name with ``base_url``."""
    from langchain_openai import ChatOpenAI

    provider, _, name = model.partition(":")
    if not name:
        provider, name = ("openai", model)
    if provider == "ollama":
        base_url = base_url or os.environ.get("OLLAMA_BASE_URL", _OLLAMA_URL)
        key = "ollama"
    elif provider == "openai":
        key = os.environ.get(api_key_env or "OPENAI_API_KEY") or ("unused" if base_url else "")
        if not key:
            raise ValueError(
                f"model {model!r}: no API key; set {api_key_env or 'OPENAI_API_KEY'} "
                "or give a base_url of a local OpenAI-compatible server"
            )
    else:
        raise ValueError(f"model {model!r}: unknown provider {provider!r} (use openai: or ollama:)")
    return ChatOpenAI(
        model=name,
        base_url=base_url,
        api_key=key,  # type: ignore[arg-type]
        temperature=temperature,
        timeout=timeout_s,
        max_retries=1,
        max_tokens=max_tokens,  # type: ignore[call-arg]
    )
