"""What kind of thing a clause asks for, and which knowledge base's documents are of it.

Why: "which package has killall" is closest to killall's man page (0.57) while the Debian
stanza that answers scores 0.35: a short passage about the program says more of its words
than a record that merely lists it. But the clause asks for a *package*, and every document of
the Debian base is titled one ("Debian package psmisc"), as every man page is titled a
"manual page" and every stdlib document a "module". A base's kind is the word most of its
titles share (learned from its own titles, not from questions); a clause asks for a kind when
it names it as what it wants ("which package", "what python module", "the stdlib module
for ..."). Then only a base of that kind can answer, and only with a document that names what
the clause gives (its rarest word: "killall"), else nothing answers: "which package provides
htop" is not answered by another package's stanza.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Set

from agentroute.text import STOP_WORDS

__all__ = ["KIND_SHARE", "asked_kind", "title_kinds"]

KIND_SHARE = 0.5
"""A word is a base's kind when at least this share of its distinct titles (and two) carry
it: "package" in every Debian title, "module" in every stdlib one; a topic word shared by a
third of the titles ("unit" in the facts) is not what the documents are."""

_WORD = re.compile(r"[a-z][a-z-]*[a-z]")


def title_kinds(titles: Iterable[str], share: float = KIND_SHARE) -> frozenset[str]:
    """The words most of ``titles`` share (stop words and numbers aside): what the base's
    documents are ("package", "manual", "page", "module")."""
    unique = {t for t in titles if t}
    counts: Counter[str] = Counter()
    for title in unique:
        counts.update({w for w in _WORD.findall(title.lower()) if w not in STOP_WORDS})
    floor = max(2.0, share * len(unique))
    return frozenset(w for w, c in counts.items() if c >= floor)


def _asking(kind: str) -> re.Pattern[str]:
    k = re.escape(kind)
    # "which package", "what python module", "which debian packages"; "the stdlib module
    # for ...", "the python module that ..."; "... comes from which package"; a clause that
    # opens with the kind ("apt package for hexdump", "package providing ps and top") or asks
    # whether there is one ("is there a package for yq")
    return re.compile(
        rf"\b(?:which|what)\s+(?:[a-z0-9-]+\s+)?{k}s?\b"
        rf"|\bthe\s+(?:[a-z0-9-]+\s+)?{k}s?\s+(?:that|which|for|to|with|providing|containing)\b"
        rf"|(?:\ba\s+|\bany\s+|^\W*)(?:[a-z0-9-]+\s+)?{k}s?\s+(?:for|providing|containing)\b"
    )


def asked_kind(clause: str, kinds: Mapping[str, Set[str]]) -> set[str]:
    """The bases (of ``kinds``: each base's kind words) whose kind the clause asks for as its
    answer; empty when it asks for none, or for a kind every base shares."""
    low = clause.lower()
    asked = {name for name, words in kinds.items() if any(_asking(w).search(low) for w in words)}
    return asked if asked and len(asked) < len(kinds) else set()
