"""The words a text is indexed and matched by: what BM25 over tools and a knowledge base's
vocabulary both count, so the two read a text the same way."""

from __future__ import annotations

import re

from agentroute.text._lexicon import STOP_WORDS

__all__ = ["exact_terms", "index_words", "search_words"]

_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"([a-z0-9])([A-Z])")
_EXACT = re.compile(r"(?<![\w.-])(--?[A-Za-z0-9][\w-]*|\w+(?:[.-]\w+)+)")
"""An option (``--detach``, ``-G``) or a name joined by hyphens or dots (``git-daemon``,
``subprocess.run``, ``libgdk-pixbuf2.0-common``), as one term."""


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


def exact_terms(text: str) -> list[str]:
    """The options and joined names ``text`` carries, each whole: ``--detach`` is not the
    word "detach", nor ``git-daemon`` "git" and "daemon". Lower-cased but for one-letter
    options, whose case is their meaning (``-G`` against ``-g``)."""
    out = []
    for term in _EXACT.findall(text):
        term = term.rstrip("-")
        if len(term) < 2 or term == "--":
            continue
        short = re.fullmatch(r"-[A-Za-z0-9]", term) is not None
        out.append(term if short else term.lower())
    return out


def search_words(text: str) -> list[str]:
    """What a passage is indexed by for lexical search: its words and its exact terms."""
    return [*index_words(text), *exact_terms(text)]
