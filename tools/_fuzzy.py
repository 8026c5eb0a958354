"""Typo-tolerant word matching for the tools: a misspelt word is read as the one word of a
known vocabulary it is one slip away from ("tims" → times, "kilomters" → kilometers).

The vocabularies are data (``words.json`` and the unit table), never per-word code. A word is
only corrected when exactly one vocabulary word is that close, it starts with the same letter
(or the first two letters are swapped),
and it is not itself an ordinary word (``words.json``'s ``keep``): "there" is never a therm.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any

__all__ = ["WORDS", "correct_words", "edit_distance", "nearest"]

WORDS: dict[str, Any] = json.loads(
    resources.files("agentroute_tools").joinpath("words.json").read_text("utf-8")
)
_KEEP = frozenset(WORDS["keep"])


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Optimal-string-alignment distance (a swap of two neighbours counts one), capped at
    ``limit + 1`` so long words are cheap to reject."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], prev2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        prev2, prev = prev, row
    return prev[-1]


def _allowed(word: str) -> int:
    """How many slips a word of this length may carry and still be recognised."""
    return 0 if len(word) < 4 else 1 if len(word) < 8 else 2


def nearest(
    word: str, vocabulary: Iterable[str], meaning: Callable[[str], object] = str
) -> str | None:
    """The one vocabulary word ``word`` is a typo of, or ``None`` (none, or a tie between
    words of different ``meaning``: "minuts" is minute or minutes, both one unit)."""
    low = word.lower()
    limit = _allowed(low)
    if not limit or low in _KEEP:
        return None
    best: list[tuple[int, str]] = []
    for known in vocabulary:
        if known == low or (known[:1] != low[:1] and known[:2] != low[1::-1]):
            continue  # the first letter is kept, or swapped with the second ("qsuare")
        d = edit_distance(low, known, limit)
        if d <= limit:
            best.append((d, known))
    if not best:
        return None
    best.sort()
    closest = [known for d, known in best if d == best[0][0]]
    if len({meaning(known) for known in closest}) > 1:
        # two letters swapped is the likelier slip: "waht" is "what", not "wat"
        closest = [known for known in closest if sorted(known) == sorted(low)]
        if len({meaning(known) for known in closest}) != 1:
            return None
    return closest[0]


@functools.lru_cache(maxsize=4)
def _vocabulary(words: frozenset[str]) -> frozenset[str]:
    return frozenset(w for w in words if re.fullmatch(r"[a-z]{4,}", w))


def correct_words(
    text: str, vocabulary: frozenset[str], meaning: Callable[[str], object] = str
) -> str:
    """``text`` with each unknown word replaced by the vocabulary word it misspells."""
    known = _vocabulary(vocabulary)

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if word.lower() in vocabulary:
            return word
        return nearest(word, known, meaning) or word

    return re.sub(r"[A-Za-z]+", fix, text)
