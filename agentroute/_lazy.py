"""Deferred imports: a package's names resolved on first use, and type checks that import nothing.

``import agentroute`` used to pull the whole stack (the LangChain chat models alone cost ~0.7 s)
before any command knew what it needed. A package now lists its names in a table (name ->
module) and resolves each on first access (PEP 562); a check such as "is this a chat model?"
answers False without importing LangChain when LangChain was never imported: no object of its
classes can exist yet.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from typing_extensions import TypeIs

__all__ = ["CHAT_MODELS", "is_chat_model", "lazy_exports"]

CHAT_MODELS = "langchain_core.language_models.chat_models"
"""The module of LangChain's ``BaseChatModel`` (the chat stack: ~0.7 s to import)."""


def is_chat_model(obj: object) -> TypeIs[BaseChatModel]:
    """``isinstance(obj, BaseChatModel)``, without importing the chat stack to learn it is not."""
    module = sys.modules.get(CHAT_MODELS)
    if module is None:
        return False
    return isinstance(obj, module.BaseChatModel)


def lazy_exports(
    package: str, table: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A package's module-level ``__getattr__`` and ``__dir__`` over ``table`` (name -> module).

    A resolved name is stored in the package's namespace, so the next access is a plain lookup.
    """

    def __getattr__(name: str) -> Any:
        module = table.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted({*vars(sys.modules[package]), *table})

    return __getattr__, __dir__
