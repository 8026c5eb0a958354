"""The words a text is indexed and matched by: what BM25 over tools and a knowledge base's
vocabulary both count, so the two read a text the same way."""

from __future__ import annotations

import re

from agentroute.text._lexicon import STOP_WORDS

__all__ = ["index_words"]

_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")


def index_words(text: str) -> list[str]:
    """Lower-case words without stop words, ``camelCase`` and ``snake_case`` split, a plural
    ``s`` dropped (``getUserTweets`` → ``get user tweet``)."""
    spaced = _CAMEL.sub(r"\1 \2", text).replace("_", " ").lower()
    out = []
    for w in _WORD.findall(spaced):
        if w in STOP_WORDS:
            continue
        out.append(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return out
